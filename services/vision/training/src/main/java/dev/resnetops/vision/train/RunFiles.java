package dev.resnetops.vision.train;

import dev.resnetops.vision.eval.EpochPoint;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import dev.resnetops.vision.eval.TrainingCurvePlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable files of a run folder: {@code metrics.csv} and {@code training_curve.png}
 * after every epoch, and the final {@code evaluation/} report. Shared by the command line and the
 * training workers, so a run folder looks the same wherever it was trained.
 */
public final class RunFiles implements TrainingListener {

    private final Path runDir;
    private final List<String> classNames;
    private final List<EpochMetrics> epochs = new ArrayList<>();

    public RunFiles(Path runDir, List<String> classNames) {
        this.runDir = runDir;
        this.classNames = List.copyOf(classNames);
    }

    /** The curve image, once the first epoch has ended. */
    public Path trainingCurve() {
        return runDir.resolve("training_curve.png");
    }

    public Path metricsCsv() {
        return runDir.resolve("metrics.csv");
    }

    public Path evaluationDir() {
        return runDir.resolve("evaluation");
    }

    @Override
    public void onStart(RunStart start) {
        epochs.clear();
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        epochs.add(metrics);
        writeMetricsCsv();
    }

    @Override
    public void onFinish(TrainingResult result) {
        // After a resume the history in the checkpoint is the complete one.
        epochs.clear();
        epochs.addAll(result.history());
        writeMetricsCsv();
    }

    /** Writes {@code evaluation/}: metrics.json, per-class CSV, confusion matrix CSV and PNG. */
    public void writeEvaluation(EvaluationReport report) throws IOException {
        new EvaluationReportWriter().write(report, classNames, evaluationDir());
    }

    private void writeMetricsCsv() {
        StringBuilder csv = new StringBuilder("epoch,global_step,train_loss,train_top1,learning_rate,test_loss,"
                + "test_top1,test_top5,img_per_s,epoch_seconds,skipped_steps,loss_scale\n");
        List<EpochPoint> points = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.8f,%.6f,%.6f,%.6f,%.2f,%.2f,%d,%.1f%n",
                    m.epoch(), m.globalStep(), m.trainLoss(), m.trainTop1(), m.learningRate(), m.testLoss(),
                    m.testTop1(), m.testTop5(), m.imagesPerSecond(), m.epochSeconds(), m.skippedSteps(), m.lossScale()));
            points.add(new EpochPoint(m.epoch(), m.trainLoss(), m.learningRate(), m.testTop1(), m.testTop5()));
        }
        try {
            Path temp = runDir.resolve("metrics.csv.tmp");
            Files.writeString(temp, csv);
            Files.move(temp, runDir.resolve("metrics.csv"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            if (!points.isEmpty()) {
                new TrainingCurvePlot().render(points, runDir.resolve("training_curve.png"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run files in " + runDir + ": " + e.getMessage(), e);
        }
    }
}
