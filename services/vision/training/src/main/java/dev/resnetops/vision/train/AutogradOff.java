package dev.resnetops.vision.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd recording switched off on this thread for a try-with-resources block, and put
 * back as it was after.
 *
 * <p>Why explicitly: libtorch's grad mode is per thread. DJL turns it off on the thread that loads the
 * engine and after each gradient collector, so on any other thread (a service's worker) it starts on,
 * and a forward pass there records a graph and keeps every activation for a backward pass that never
 * comes. Inside this block a forward pass keeps nothing it does not return.
 */
public final class AutogradOff implements AutoCloseable {

    private final boolean previous;

    public AutogradOff() {
        Engine.getInstance(); // libtorch loaded before its JNI is called
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
