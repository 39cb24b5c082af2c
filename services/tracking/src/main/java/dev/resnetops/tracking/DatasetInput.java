package dev.resnetops.tracking;

import java.util.Objects;

/**
 * A dataset a run read, as MLflow's {@code runs/log-inputs} records it: the UI shows it in the runs
 * table's Dataset column and on the run page (name, digest, source, and the profile in its details).
 * MLflow keeps one dataset per (experiment, name, digest) and one link per (dataset, run), so logging
 * the same input again changes nothing.
 *
 * @param name       at most {@value MlflowLimits#MAX_DATASET_NAME_LENGTH} characters
 * @param digest     a short content hash, at most {@value MlflowLimits#MAX_DATASET_DIGEST_LENGTH} characters
 * @param sourceType where the data lives, in MLflow's vocabulary ({@code local}, {@code http}, {@code s3}, ...)
 * @param source     a JSON object of the source type's fields, e.g. {@code {"uri": "/data/fashion-mnist"}}
 * @param profile    a JSON object summarising the data (rows, classes), or null
 * @param context    what the run used it for: MLflow's {@code mlflow.data.context} input tag, e.g.
 *                   {@value #TRAINING} or {@value #EVALUATION}; null for none
 */
public record DatasetInput(String name, String digest, String sourceType, String source, String profile,
                           String context) {

    /** The input tag MLflow's UI shows as the dataset's context. */
    public static final String CONTEXT_TAG = "mlflow.data.context";
    public static final String TRAINING = "training";
    public static final String EVALUATION = "evaluation";

    public DatasetInput {
        Objects.requireNonNull(name, "dataset name");
        Objects.requireNonNull(digest, () -> "digest of dataset '" + name + "'");
        Objects.requireNonNull(sourceType, () -> "source type of dataset '" + name + "'");
        Objects.requireNonNull(source, () -> "source of dataset '" + name + "'");
        limit("name", name, MlflowLimits.MAX_DATASET_NAME_LENGTH, name);
        limit("digest", digest, MlflowLimits.MAX_DATASET_DIGEST_LENGTH, name);
        limit("source", source, MlflowLimits.MAX_DATASET_SOURCE_LENGTH, name);
        if (context != null) {
            limit("context", context, MlflowLimits.MAX_INPUT_TAG_VALUE_LENGTH, name);
        }
    }

    private static void limit(String field, String value, int max, String dataset) {
        if (value.length() > max) {
            throw new IllegalArgumentException("the " + field + " of dataset input '" + dataset + "' is "
                    + value.length() + " characters; MLflow takes at most " + max);
        }
    }
}
