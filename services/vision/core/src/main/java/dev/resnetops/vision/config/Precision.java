package dev.resnetops.vision.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Numeric precision of training compute. */
public enum Precision {
    /** fp16 mixed precision on a GPU, fp32 on a CPU (where fp16 convolutions are far slower: 47x measured). */
    @JsonProperty("auto") AUTO,
    @JsonProperty("fp32") FP32,
    /** fp16 compute, fp32 master weights, dynamic loss scaling. */
    @JsonProperty("fp16") FP16,
    /** Refused by validation: DJL 0.36 aborts the JVM on any bfloat16 array. */
    @JsonProperty("bf16") BF16;

    public String key() {
        return name().toLowerCase();
    }
}
