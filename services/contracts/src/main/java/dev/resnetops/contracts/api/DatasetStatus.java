package dev.resnetops.contracts.api;

/** A dataset registration: being ingested, ready for training, or failed (with a reason). */
public enum DatasetStatus {
    INGESTING, READY, FAILED
}
