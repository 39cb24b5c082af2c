package dev.resnetops.tracking;

/**
 * The limits an MLflow tracking server enforces, as read in MLflow 3.17's
 * {@code mlflow/utils/validation.py}. The client checks them before it sends anything, so a bad batch
 * fails whole and at once instead of half-written by the server.
 */
public final class MlflowLimits {

    /** A {@code runs/log-batch} request holds at most this many metrics ({@code MAX_METRICS_PER_BATCH}). */
    public static final int MAX_METRICS_PER_BATCH = 1000;
    /** ... at most this many params, and as many tags ({@code MAX_PARAMS_TAGS_PER_BATCH}). */
    public static final int MAX_PARAMS_PER_BATCH = 100;
    public static final int MAX_TAGS_PER_BATCH = 100;
    /** ... and at most this many entities of all kinds together ({@code MAX_ENTITIES_PER_BATCH}). */
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    /**
     * ... and its JSON body may be at most this many bytes ({@code MAX_BATCH_LOG_REQUEST_SIZE}). 100
     * maximal params and 100 maximal tags (about 1.4 MB) would pass the count limits and fail this one.
     */
    public static final int MAX_BATCH_REQUEST_BYTES = 1_000_000;

    /** Metric, param and tag keys ({@code MAX_ENTITY_KEY_LENGTH}). */
    public static final int MAX_KEY_LENGTH = 250;
    /**
     * Param values ({@code MAX_PARAM_VAL_LENGTH}; it was 500 before MLflow 2.x). The server cuts longer
     * values silently ({@code MLFLOW_TRUNCATE_LONG_VALUES} defaults to true and only logs a warning on
     * the server), so the client refuses them instead: a truncated param would misreport the run.
     */
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** Run tag values ({@code MAX_TAG_VAL_LENGTH}); truncated by the server like params, so refused too. */
    public static final int MAX_TAG_VALUE_LENGTH = 8000;

    /** Dataset inputs ({@code runs/log-inputs}): the name ({@code MAX_DATASET_NAME_SIZE}), ... */
    public static final int MAX_DATASET_NAME_LENGTH = 500;
    /** ... the digest ({@code MAX_DATASET_DIGEST_SIZE}; a full SHA-256 in hex is 64, so it is cut), ... */
    public static final int MAX_DATASET_DIGEST_LENGTH = 36;
    /** ... the source JSON ({@code MAX_DATASET_SOURCE_SIZE}), ... */
    public static final int MAX_DATASET_SOURCE_LENGTH = 65535;
    /** ... and an input tag's value, such as the context ({@code MAX_INPUT_TAG_VALUE_SIZE}). */
    public static final int MAX_INPUT_TAG_VALUE_LENGTH = 500;

    private MlflowLimits() {
    }
}
