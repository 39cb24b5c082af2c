package dev.resnetops.vision.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Learning-rate schedule after the linear warm-up. */
public enum ScheduleKind {
    /** Cosine annealing to the final LR: the paper's recipe. */
    @JsonProperty("cosine") COSINE,
    /** x gamma at fixed fractions of training: the baseline's recipe. */
    @JsonProperty("step") STEP;

    public String key() {
        return name().toLowerCase();
    }
}
