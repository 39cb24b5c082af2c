package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import java.time.Instant;
import java.util.UUID;

/**
 * Event: alias {@code alias} ("candidate", "champion") of registered model {@code model} now points at
 * {@code version}. Inference services serving that alias load the new ONNX file and switch over.
 *
 * @param onnxLocation the ONNX file on the shared data folder
 * @param onnxSha256   its hash, so a server can verify what it loads and name it in predictions
 */
public record ModelAliasMoved(int schemaVersion, UUID messageId, Instant occurredAt, String model, String alias,
                              int version, UUID jobId, String onnxLocation, String onnxSha256) implements Message {

    public static final String TYPE = "ModelAliasMoved";

    public ModelAliasMoved {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.requiredText(model, "model");
        Fields.requiredText(alias, "alias");
        Fields.required(jobId, "jobId");
        Fields.requiredText(onnxLocation, "onnxLocation");
        Fields.requiredText(onnxSha256, "onnxSha256");
    }

    public static ModelAliasMoved of(String model, String alias, int version, UUID jobId, String onnxLocation,
                                     String onnxSha256) {
        return new ModelAliasMoved(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), model, alias, version, jobId,
                onnxLocation, onnxSha256);
    }

    @Override
    public String key() {
        return model;
    }

    @Override
    public String topic() {
        return Topics.MODEL_EVENTS;
    }
}
