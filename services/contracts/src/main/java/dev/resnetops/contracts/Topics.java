package dev.resnetops.contracts;

/**
 * Kafka topic names, one place for every service and test. Commands are keyed by the id of the thing
 * they act on (dataset or job id), so all messages about one thing stay in order on one partition.
 */
public final class Topics {

    /** {@link dev.resnetops.contracts.messages.IngestDataset} commands, key = dataset id. */
    public static final String DATASET_COMMANDS = "resnetops.datasets.commands";
    /** Ingestion outcomes: {@code DatasetReady}, {@code DatasetFailed}; key = dataset id. */
    public static final String DATASET_EVENTS = "resnetops.datasets.events";
    /** Commands that ingestion could not even parse, with the reason in a header. */
    public static final String DATASET_COMMANDS_DLQ = "resnetops.datasets.commands.dlq";
    /** {@link dev.resnetops.contracts.messages.StartTraining} commands, key = job id; one consumer group of workers. */
    public static final String TRAINING_COMMANDS = "resnetops.training.commands";
    /**
     * {@link dev.resnetops.contracts.messages.CancelTraining} and other control messages, key = job id.
     * Every worker reads all of it (a group per worker): only the worker running the job can act.
     */
    public static final String TRAINING_CONTROL = "resnetops.training.control";
    /** Progress, epoch metrics and outcomes of training jobs, key = job id. */
    public static final String TRAINING_EVENTS = "resnetops.training.events";
    /** {@link dev.resnetops.contracts.messages.ModelAliasMoved}: registry changes, key = registered model name. */
    public static final String MODEL_EVENTS = "resnetops.models.events";
    /** Images to classify: value = image bytes, headers = request id and content type. */
    public static final String IMAGES = "resnetops.images";
    /** One prediction per image, same key as the image. */
    public static final String PREDICTIONS = "resnetops.predictions";
    /** Images that could not be classified, with the reason in a header. */
    public static final String IMAGES_DLQ = "resnetops.images.dlq";

    /** Every topic of the platform, for whoever creates them up front. */
    public static java.util.List<String> all() {
        return java.util.List.of(DATASET_COMMANDS, DATASET_EVENTS, DATASET_COMMANDS_DLQ, TRAINING_COMMANDS,
                TRAINING_CONTROL, TRAINING_EVENTS, MODEL_EVENTS, IMAGES, PREDICTIONS, IMAGES_DLQ);
    }

    private Topics() {
    }
}
