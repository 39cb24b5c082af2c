package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What looking at a RUNNING step found: still waiting, done with its outputs, or failed.
 *
 * @param retryable whether another attempt could succeed (a training that crashed may; a dataset source
 *                  that does not exist will not)
 */
record StepOutcome(Status status, JsonNode output, String error, boolean retryable) {

    enum Status { WAITING, SUCCEEDED, FAILED }

    static StepOutcome waiting() {
        return new StepOutcome(Status.WAITING, null, null, false);
    }

    static StepOutcome succeeded(JsonNode output) {
        return new StepOutcome(Status.SUCCEEDED, output, null, false);
    }

    static StepOutcome failed(String error, boolean retryable) {
        return new StepOutcome(Status.FAILED, null, error, retryable);
    }
}
