package dev.resnetops.vision.data;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of source dataset {@link DatasetImporter} understands. */
public enum SourceFormat {
    /** MNIST / Fashion-MNIST IDX files. */
    IDX,
    /** One sub-folder of JPEG/PNG files per class, under {@code train/} and {@code val/} or {@code test/}. */
    IMAGEFOLDER,
    /** CIFAR-10 binary batches. */
    CIFAR10,
    /** CIFAR-100 binary files (fine labels). */
    CIFAR100;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
