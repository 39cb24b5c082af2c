package dev.resnetops.cli;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.train.TrainingResult;
import dev.resnetops.vision.train.RunFiles;
import dev.resnetops.vision.train.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops train}: trains locally, evaluating and checkpointing every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on a dataset with the paper's recipe, evaluating on the test split and "
                + "checkpointing after every epoch.",
                "Rerunning with the same --out resumes after the last completed epoch."})
final class TrainCommand implements Callable<Integer> {

    @Mixin DatasetOptions dataset;

    @Mixin ConfigOptions config;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Run folder: checkpoint/, evaluation/, metrics.csv, training_curve.png "
                    + "(default: runs/<model>-<timestamp>).")
    Path out;

    @Option(names = "--json", description = "End with one JSON line on stdout (top1, top5, epochs, train_img_per_s, ...).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TrainingConfig trainingConfig = config.resolve(); // validated before anything native starts
        Path runDir = out != null ? out : Path.of("runs", trainingConfig.model() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path configFile = runDir.resolve("config.yaml");
        requireSameRun(configFile, trainingConfig);
        ShardedDataset data = dataset.open();
        Files.createDirectories(runDir);
        if (!Files.exists(configFile)) {
            Files.writeString(configFile, TrainingConfigCodec.toYaml(trainingConfig));
        }

        PrintStream progress = System.err;
        RunFiles files = new RunFiles(runDir, data.manifest().classes());
        long start = System.nanoTime();
        TrainingResult result = TrainingRun.builder()
                .setConfig(trainingConfig)
                .setDataset(data)
                .setOutputDir(runDir)
                .addListener(new ProgressPrinter(progress, System.console() != null))
                .addListener(files)
                .build()
                .run();
        if (result.finalEvaluation() != null) {
            files.writeEvaluation(result.finalEvaluation());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        RunSummary summary = RunSummary.of(result, runDir, seconds);
        PrintStream human = json ? System.err : System.out;
        summary.print(human);
        if (json) {
            System.out.println(summary.toJson());
        }
        return 0;
    }

    /** A run folder never gets a second, different run's files mixed into it. */
    private static void requireSameRun(Path configFile, TrainingConfig config) {
        if (Files.exists(configFile) && !TrainingConfigCodec.read(configFile).equals(config)) {
            throw new IllegalStateException("run folder " + configFile.getParent() + " holds a run with a different "
                    + "configuration (see its config.yaml); rerun with the same settings to resume it, or choose a new --out");
        }
    }
}
