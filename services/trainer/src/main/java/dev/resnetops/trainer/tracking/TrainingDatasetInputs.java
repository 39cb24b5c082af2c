package dev.resnetops.trainer.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.store.datasets.JobDataset;
import dev.resnetops.tracking.DatasetInput;
import dev.resnetops.tracking.MlflowLimits;
import java.util.List;

/**
 * The dataset inputs of a training run, as MLflow's UI lists them: the train split the network learns
 * from ({@value DatasetInput#TRAINING}), and the test split its epochs and the evaluator measure it on
 * ({@value DatasetInput#EVALUATION}). Both carry the version's content hash, so two runs show the same
 * digest exactly when they read the same data.
 */
public final class TrainingDatasetInputs {

    /** Digest length: MLflow takes at most 36 characters; 12 hex digits are what ingestion's logs show too. */
    static final int DIGEST_LENGTH = 12;
    /** Appended to the dataset's name for its test split, a dataset of its own in MLflow's eyes. */
    static final String TEST_SPLIT_SUFFIX = " (test split)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingDatasetInputs() {
    }

    public static List<DatasetInput> of(JobDataset dataset) {
        String digest = dataset.contentHash().substring(0, Math.min(DIGEST_LENGTH, dataset.contentHash().length()));
        // Every source the platform takes is a path the ingestion service read (DatasetService checks it):
        // MLflow's "local" source type, whose fields are {"uri": ...}.
        String source = JSON.createObjectNode().put("uri", dataset.source()).toString();
        String name = cut(dataset.name(), MlflowLimits.MAX_DATASET_NAME_LENGTH - TEST_SPLIT_SUFFIX.length());
        return List.of(
                new DatasetInput(name, digest, "local", source, profile(dataset, "train", dataset.trainImages()),
                        DatasetInput.TRAINING),
                new DatasetInput(name + TEST_SPLIT_SUFFIX, digest, "local", source,
                        profile(dataset, "test", dataset.testImages()), DatasetInput.EVALUATION));
    }

    /** What the UI's dataset details show beside the digest: which version and split, and how big. */
    private static String profile(JobDataset dataset, String split, long images) {
        ObjectNode profile = JSON.createObjectNode()
                .put("dataset_version", dataset.versionId().toString())
                .put("sha256", dataset.contentHash())
                .put("format", dataset.sourceFormat())
                .put("split", split)
                .put("images", images)
                .put("classes", dataset.classes());
        return profile.toString();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
