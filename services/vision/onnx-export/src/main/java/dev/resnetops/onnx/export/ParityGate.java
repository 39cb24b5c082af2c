package dev.resnetops.onnx.export;

import ai.djl.nn.Block;
import dev.resnetops.onnx.runtime.OnnxSession;
import dev.resnetops.vision.data.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Accepts an exported model only if ONNX Runtime computes what DJL computes on the same inputs: the
 * largest logit difference within {@link LogitComparison}'s tolerance and the same Top-1 class on
 * every image.
 *
 * <p>The export is written under a hidden candidate name and renamed onto the target only after the
 * gate passes, with its report ({@link #reportPath}) beside it. On failure the candidate is deleted,
 * so the target path never holds an unverified or half-written model, and the exception carries the
 * numbers.
 */
public final class ParityGate {

    public static final int DEFAULT_BATCH_SIZE = 32;

    private final int batchSize;
    private final int threads;

    /**
     * @param threads ONNX Runtime intra-op threads; 0 = its default
     */
    public ParityGate(int batchSize, int threads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("parity batch size must be at least 1, found " + batchSize);
        }
        this.batchSize = batchSize;
        this.threads = threads;
    }

    public ParityGate() {
        this(DEFAULT_BATCH_SIZE, 0);
    }

    /** Where the report of the model at {@code model} goes: {@code name.onnx} -> {@code name.parity.json}. */
    public static Path reportPath(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
        return model.resolveSibling(stem + ".parity.json");
    }

    /**
     * Writes {@code model} to a candidate file, gates it against {@code block} and moves it to
     * {@code target} with its report.
     *
     * @throws ParityFailedException the engines disagree; nothing is left at or beside {@code target}
     */
    public ParityReport exportGated(ai.onnx.proto.OnnxMl.ModelProto model, Block block, ParitySample sample,
            Path target) {
        Path absolute = target.toAbsolutePath();
        Path candidate = absolute.resolveSibling("." + absolute.getFileName() + ".candidate");
        OnnxExporter.write(model, candidate);
        ParityReport report = check(block, candidate, sample);
        try {
            try {
                Files.move(candidate, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(candidate, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(candidate);
            throw new UncheckedIOException("cannot move the verified model to " + target + ": " + e.getMessage(), e);
        }
        ParityReport accepted = new ParityReport(absolute.toString(), report.modelSha256(), report.sample(),
                report.images(), report.maxAbsLogitDiff(), report.maxAbsLogit(), report.tolerance(),
                report.toleranceRule(), report.top1Mismatches(), true, report.onnxRuntimeProvider(),
                report.djlSeconds(), report.onnxRuntimeSeconds());
        writeReport(accepted, reportPath(absolute));
        return accepted;
    }

    /**
     * Runs both engines over {@code sample} in batches and compares. On failure deletes
     * {@code candidate} and throws; on success returns the report without writing it.
     */
    public ParityReport check(Block block, Path candidate, ParitySample sample) {
        int n = sample.count();
        int len = sample.sampleLength();
        float[][] djl = new float[n][];
        float[][] ort = new float[n][];
        long djlNanos = 0;
        long ortNanos = 0;
        String provider;
        String sha256;
        try (OnnxSession session = new OnnxSession(candidate, threads, false)) {
            provider = session.provider();
            for (int start = 0; start < n; start += batchSize) {
                int count = Math.min(batchSize, n - start);
                float[] batch = Arrays.copyOfRange(sample.data(), start * len, (start + count) * len);
                long t0 = System.nanoTime();
                float[][] d = DjlLogits.of(block, batch, count, sample.channels(), sample.size(), sample.size());
                long t1 = System.nanoTime();
                float[][] o = session.logits(batch, count, sample.channels(), sample.size(), sample.size());
                long t2 = System.nanoTime();
                djlNanos += t1 - t0;
                ortNanos += t2 - t1;
                System.arraycopy(d, 0, djl, start, count);
                System.arraycopy(o, 0, ort, start, count);
            }
            sha256 = Sha256.ofFile(candidate);
        } catch (RuntimeException | IOException e) {
            deleteQuietly(candidate);
            throw e instanceof RuntimeException r ? r
                    : new UncheckedIOException("cannot hash " + candidate + ": " + e.getMessage(), (IOException) e);
        }
        LogitComparison c = LogitComparison.of(djl, ort);
        ParityReport report = new ParityReport(candidate.toString(), sha256, sample.description(), n, c.maxAbsDiff(),
                c.maxAbsLogit(), c.tolerance(), ParityReport.TOLERANCE_RULE, c.top1Mismatches(), c.passed(), provider,
                djlNanos / 1e9, ortNanos / 1e9);
        if (!c.passed()) {
            deleteQuietly(candidate);
            throw new ParityFailedException(report);
        }
        return report;
    }

    private static void writeReport(ParityReport report, Path path) {
        Path temp = path.resolveSibling("." + path.getFileName() + ".tmp");
        try {
            Files.writeString(temp, report.toJson(), StandardCharsets.UTF_8);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write parity report " + path + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort; the caller's error says what went wrong
        }
    }
}
