package dev.resnetops.evaluator.service;

/**
 * The MLflow model version a job's evaluation is registered as.
 *
 * @param reused true when a version tagged with the job existed already (a retry after a crash)
 */
public record RegisteredVersion(String registeredModel, int version, boolean reused) {
}
