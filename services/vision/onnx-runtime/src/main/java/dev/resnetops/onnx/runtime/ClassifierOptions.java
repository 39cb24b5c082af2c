package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.ImageLimits;

/**
 * Settings of an {@link OnnxClassifier}.
 *
 * @param threads ONNX Runtime intra-op threads, 0 = its default (one per physical core)
 * @param allowGpu use the CUDA execution provider when the runtime has it and a GPU is present
 * @param maxPixels images with more pixels than this are rejected from their header, before decoding:
 *     a few-kilobyte PNG can declare 50000 x 50000 pixels and ask for gigabytes (decompression bomb).
 *     At most {@link ImageLimits#DEFAULT_MAX_PIXELS}, the platform's limit, which this may only lower
 * @param topK labels returned per image
 * @param batchSize images per ONNX Runtime call
 * @param spinWait intra-op threads spin between operators instead of sleeping (ONNX Runtime's default):
 *     fastest when the process has its cores to itself, slower when other busy threads share them, since
 *     a spinning thread holds a core another needs and a preempted one stalls the rest at each operator's
 *     barrier ({@link OnnxSession})
 */
public record ClassifierOptions(int threads, boolean allowGpu, long maxPixels, int topK, int batchSize,
                                boolean spinWait) {

    /** The platform's one pixel limit ({@link ImageLimits}); an entry point may set a lower one. */
    public static final long DEFAULT_MAX_PIXELS = ImageLimits.DEFAULT_MAX_PIXELS;

    public ClassifierOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (runtime default) or more, found " + threads);
        }
        if (maxPixels < 1 || maxPixels > ImageLimits.DEFAULT_MAX_PIXELS) {
            throw new IllegalArgumentException("maxPixels must be between 1 and the platform's limit of "
                    + ImageLimits.DEFAULT_MAX_PIXELS + " (ImageLimits), found " + maxPixels);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, found " + topK);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
        }
    }

    public static ClassifierOptions defaults() {
        return new ClassifierOptions(0, true, DEFAULT_MAX_PIXELS, 5, 32, true);
    }

    public ClassifierOptions withThreads(int value) {
        return new ClassifierOptions(value, allowGpu, maxPixels, topK, batchSize, spinWait);
    }

    public ClassifierOptions withMaxPixels(long value) {
        return new ClassifierOptions(threads, allowGpu, value, topK, batchSize, spinWait);
    }

    public ClassifierOptions withTopK(int value) {
        return new ClassifierOptions(threads, allowGpu, maxPixels, value, batchSize, spinWait);
    }

    public ClassifierOptions withBatchSize(int value) {
        return new ClassifierOptions(threads, allowGpu, maxPixels, topK, value, spinWait);
    }

    public ClassifierOptions withSpinWait(boolean value) {
        return new ClassifierOptions(threads, allowGpu, maxPixels, topK, batchSize, value);
    }

    public ClassifierOptions withAllowGpu(boolean value) {
        return new ClassifierOptions(threads, value, maxPixels, topK, batchSize, spinWait);
    }
}
