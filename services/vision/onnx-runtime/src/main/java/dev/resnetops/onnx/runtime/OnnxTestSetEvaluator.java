package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.data.BatchLoader;
import dev.resnetops.vision.data.TestSplit;
import dev.resnetops.vision.eval.EvaluationAccumulator;
import dev.resnetops.vision.eval.EvaluationReport;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs an exported model over the test split on ONNX Runtime and accumulates Top-1/Top-5, loss,
 * per-class accuracy and the confusion matrix: the same metrics, from the same batches, as the DJL
 * {@code TestSetEvaluator} (vision-training) computes for the checkpoint, but of the file that is served.
 *
 * <p>The images come from the same {@link TestSplit} as DJL's evaluation (no augmentation, the
 * preprocessing's {@code EvalResize}, the same seeded subset for a limit), so the two evaluations of one
 * checkpoint see identical input tensors and differ only by the engines' float32 arithmetic.
 */
public final class OnnxTestSetEvaluator {

    private final TestSplit split;

    /** @param split with the checkpoint's preprocessing, which the exporter also wrote into the model's metadata */
    public OnnxTestSetEvaluator(TestSplit split) {
        this.split = split;
    }

    public int sampleCount() {
        return split.sampleCount();
    }

    /** One batch at a time: all of the session's intra-op threads on each batch. */
    public EvaluationReport evaluate(OnnxSession session) {
        return evaluate(session, 1);
    }

    /**
     * Runs up to {@code concurrentBatches} batches through the session at once, each on its own thread.
     * Why: at small inputs (32 px) the later stages are a few pixels wide, and splitting one batch's
     * convolutions over cores (intra-op threads) leaves cores waiting at every layer; a session opened with
     * one intra-op thread and one batch per core keeps every core busy (docs/benchmarks.md). The results
     * are accumulated in the split's order whatever order the runs finish in, so the report is the same
     * for any concurrency.
     *
     * @throws IllegalArgumentException the model's output has another class count than the dataset, or
     *     it produced a NaN or infinite logit (the accumulator names the image's row and class)
     */
    public EvaluationReport evaluate(OnnxSession session, int concurrentBatches) {
        if (concurrentBatches < 1) {
            throw new IllegalArgumentException("concurrent batches must be >= 1, found " + concurrentBatches);
        }
        int classes = split.classCount();
        EvaluationAccumulator accumulator = new EvaluationAccumulator(classes);
        ExecutorService runs = Executors.newFixedThreadPool(concurrentBatches, task -> {
            Thread thread = new Thread(task, "onnx-evaluation");
            thread.setDaemon(true); // a failed evaluation must not keep the JVM alive
            return thread;
        });
        ArrayDeque<Future<Scored>> inFlight = new ArrayDeque<>();
        try (BatchLoader loader = split.open()) {
            for (Batch batch : loader) {
                if (inFlight.size() == concurrentBatches) {
                    result(inFlight.poll()).addTo(accumulator, classes);
                }
                inFlight.add(runs.submit(() -> new Scored(batch, session.logits(batch.data(), batch.size(),
                        batch.channels(), batch.height(), batch.width()))));
            }
            while (!inFlight.isEmpty()) {
                result(inFlight.poll()).addTo(accumulator, classes);
            }
        } finally {
            inFlight.forEach(run -> run.cancel(true));
            runs.shutdownNow();
        }
        return accumulator.report();
    }

    /** A run's result; its failure is rethrown as itself, so the caller sees the engine's own message. */
    private static Scored result(Future<Scored> run) {
        try {
            return run.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating on ONNX Runtime", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("evaluating on ONNX Runtime failed: " + e.getCause(), e.getCause());
        }
    }

    /** A batch and its logits, one row per image. */
    private record Scored(Batch batch, float[][] logits) {

        void addTo(EvaluationAccumulator accumulator, int classes) {
            accumulator.add(flatten(logits, classes), batch.labels(), batch.size());
        }
    }

    private static float[] flatten(float[][] rows, int classes) {
        float[] flat = new float[rows.length * classes];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != classes) {
                throw new IllegalArgumentException("the model outputs " + rows[i].length + " logits per image but the"
                        + " dataset has " + classes + " classes: not a model of this dataset");
            }
            System.arraycopy(rows[i], 0, flat, i * classes, classes);
        }
        return flat;
    }
}
