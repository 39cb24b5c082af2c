package dev.resnetops.inference.stream;

import dev.resnetops.inference.model.LoadedModel;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.ScoredLabel;
import jakarta.enterprise.inject.Vetoed;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model call of the stream, faked: every image is a "dress" (class 3), except the images whose request
 * id was given a fault. Counts the calls each image was part of. Vetoed: it inherits BatchInference's scope,
 * and is installed with QuarkusMock (or handed to a BatchClassifier) rather than discovered.
 */
@Vetoed
final class FakeInference extends BatchInference {

    enum Fault {
        /** Any call holding this image throws, as ONNX Runtime does on a tensor it cannot take. */
        THROWS,
        /** The first call holding this image throws an OutOfMemoryError; later ones classify it. */
        OUT_OF_MEMORY_ONCE,
        /** Every call holding this image overflows the stack. */
        STACK_OVERFLOW,
        /** A call holding this image waits until {@link #release()}. */
        BLOCKS,
        /** A call holding this image and others returns one result fewer than it was given images. */
        DROPS_A_RESULT,
        /** A call holding this image takes a second, as a slow model call under load does. */
        SLOW
    }

    static final int CLASS = 3;

    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger largestCall = new AtomicInteger();

    FakeInference fault(String requestId, Fault fault) {
        faults.put(requestId, fault);
        return this;
    }

    int calls(String requestId) {
        AtomicInteger n = calls.get(requestId);
        return n == null ? 0 : n.get();
    }

    void release() {
        released.countDown();
    }

    /** The most images one call was given so far. */
    int largestCall() {
        return largestCall.get();
    }

    @Override
    public List<ImageResult> classify(LoadedModel model, List<ImageInput> inputs) {
        largestCall.accumulateAndGet(inputs.size(), Math::max);
        for (ImageInput input : inputs) {
            calls.computeIfAbsent(input.name(), k -> new AtomicInteger()).incrementAndGet();
        }
        for (ImageInput input : inputs) {
            Fault fault = faults.get(input.name());
            if (fault == null) {
                continue;
            }
            switch (fault) {
                case THROWS -> throw new IllegalStateException("ONNX Runtime: unexpected tensor for " + input.name());
                case OUT_OF_MEMORY_ONCE -> {
                    if (faults.remove(input.name(), Fault.OUT_OF_MEMORY_ONCE)) {
                        throw new OutOfMemoryError("Java heap space (a test fault for " + input.name() + ")");
                    }
                }
                case STACK_OVERFLOW -> throw new StackOverflowError("a test fault for " + input.name());
                case DROPS_A_RESULT -> {
                    if (inputs.size() > 1) {
                        return answers(inputs.subList(1, inputs.size()));
                    }
                }
                case SLOW -> pause(1000);
                case BLOCKS -> {
                    try {
                        released.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        return answers(inputs);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ImageResult> answers(List<ImageInput> inputs) {
        return inputs.stream().<ImageResult>map(i -> new ImageResult.Classified(i.name(),
                List.of(new ScoredLabel(CLASS, "dress", 0.9f), new ScoredLabel(0, "t-shirt", 0.1f)))).toList();
    }
}
