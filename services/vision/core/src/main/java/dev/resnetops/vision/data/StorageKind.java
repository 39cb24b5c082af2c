package dev.resnetops.vision.data;

/** How a shard stores its images. */
public enum StorageKind {
    /** Pre-decoded HWC pixels in fixed-size records: fastest to read, used for small images. */
    RAW_UINT8,
    /** JPEG or PNG bytes in length-prefixed records: compact, decoded on access, used for large images. */
    ENCODED
}
