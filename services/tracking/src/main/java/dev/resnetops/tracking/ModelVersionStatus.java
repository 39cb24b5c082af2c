package dev.resnetops.tracking;

/** Registration state of a model version; a version is only usable once {@link #READY}. */
public enum ModelVersionStatus {
    PENDING_REGISTRATION,
    FAILED_REGISTRATION,
    READY
}
