package dev.resnetops.vision.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread pool: how many cores one training process computes on.
 *
 * <p>libtorch starts with one thread per core, or {@code OMP_NUM_THREADS} when set. Two processes
 * that each take every core oversubscribe the machine, and oneDNN's threads then wait on each other
 * (issue 16: two workers at batch 128 fell to 1.3 img/s each). The launchers therefore give each of
 * N trainer workers cores / N threads through {@code OMP_NUM_THREADS}; this class lets a command
 * line set it explicitly and report it.
 */
public final class TrainingThreads {

    private TrainingThreads() {}

    /** The intra-op threads this process computes with. */
    public static int intraOp() {
        Engine.getInstance(); // loads libtorch, which applies OMP_NUM_THREADS
        return JniUtils.getNumThreads();
    }

    /** Sets the intra-op threads; call before the first training step. */
    public static void setIntraOp(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("training threads must be at least 1, found " + threads);
        }
        Engine.getInstance();
        JniUtils.setNumThreads(threads);
    }
}
