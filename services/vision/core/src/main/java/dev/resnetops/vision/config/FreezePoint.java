package dev.resnetops.vision.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How much of a pretrained network fine-tuning leaves as it is: everything up to and including this
 * point gets no gradient, no update and no weight decay. The usual choices: nothing (small domain
 * shift, enough data), up to Stage 3 (few images: only Stage 4 and the head adapt).
 */
public enum FreezePoint {
    @JsonProperty("none") NONE,
    @JsonProperty("stem") STEM,
    @JsonProperty("stage1") STAGE1,
    @JsonProperty("stage2") STAGE2,
    @JsonProperty("stage3") STAGE3,
    @JsonProperty("stage4") STAGE4;

    public String key() {
        return name().toLowerCase();
    }

    /** Stages 1-4 frozen with this point (0 for none or the stem alone). */
    public int frozenStages() {
        return this == NONE || this == STEM ? 0 : ordinal() - 1;
    }
}
