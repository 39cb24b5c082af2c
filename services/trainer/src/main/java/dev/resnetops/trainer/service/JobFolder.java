package dev.resnetops.trainer.service;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.vision.train.Checkpoint;
import dev.resnetops.vision.train.EpochMetrics;
import dev.resnetops.vision.train.RunFiles;
import dev.resnetops.vision.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One job's folder on this worker, {@code <jobs-dir>/<job id>/}: the configuration it runs, the checkpoint
 * an earlier attempt left (resumed from, on any worker that shares the folder), and the files a finished
 * run hands to MLflow as artifacts.
 */
public final class JobFolder {

    private static final String CONFIG_FILE = "config.yaml";

    private final Path dir;

    private JobFolder(Path dir) {
        this.dir = dir;
    }

    public static JobFolder of(Path jobsDir, UUID jobId) {
        return new JobFolder(jobsDir.toAbsolutePath().resolve(jobId.toString()));
    }

    public Path dir() {
        return dir;
    }

    /** Epochs the last checkpoint holds: where a resumed run starts. 0 for a fresh job. */
    public int completedEpochs() {
        return Checkpoint.locate(dir.resolve(TrainingRun.CHECKPOINT_DIR))
                .map(checkpoint -> Checkpoint.readState(checkpoint).epochsCompleted()).orElse(0);
    }

    /** The epochs the last checkpoint holds, which an attempt that died may not have recorded. */
    public List<EpochMetrics> checkpointedEpochs() {
        return Checkpoint.locate(dir.resolve(TrainingRun.CHECKPOINT_DIR))
                .map(checkpoint -> Checkpoint.readState(checkpoint).history()).orElse(List.of());
    }

    /** Creates the folder and writes the configuration, unless an earlier attempt wrote it. */
    public void prepare(TrainingConfig config) throws IOException {
        Files.createDirectories(dir);
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.exists(configFile)) {
            Files.writeString(configFile, TrainingConfigCodec.toYaml(config));
        }
    }

    /**
     * What a completed run uploads: local path to the artifact folder it goes into ("" for the run's
     * root), in upload order; the training curve only if the run drew one.
     */
    public Map<String, String> artifacts(RunFiles files, Path checkpoint) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(files.metricsCsv().toString(), "");
        if (Files.exists(files.trainingCurve())) {
            artifacts.put(files.trainingCurve().toString(), "");
        }
        artifacts.put(dir.resolve(CONFIG_FILE).toString(), "");
        artifacts.put(checkpoint.toString(), "checkpoint");
        return artifacts;
    }
}
