package dev.resnetops.vision.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which per-channel mean and standard deviation a run normalises its images with. The statistics are
 * saved with the model (checkpoint and ONNX metadata), so evaluation and serving normalise alike.
 */
public enum Normalization {
    /**
     * Follow the starting weights: ImageNet's statistics for a weights file (what torchvision and timm
     * ResNets were trained with), the checkpoint's own for one of ours, the dataset's for random weights.
     */
    @JsonProperty("auto") AUTO,
    /** The dataset's own statistics, as measured at ingestion (the manifest's mean and std). */
    @JsonProperty("dataset") DATASET,
    /** ImageNet's statistics, whatever the weights. */
    @JsonProperty("imagenet") IMAGENET;

    public String key() {
        return name().toLowerCase();
    }
}
