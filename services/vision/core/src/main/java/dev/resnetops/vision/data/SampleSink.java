package dev.resnetops.vision.data;

/** Receives what a reader finds in a split: good images, and records it had to quarantine. */
public interface SampleSink {

    void accept(LabelledImage image);

    void problem(DataProblem problem);

    /**
     * A quarantined record whose class is known (an image in a class folder, a record with a valid label
     * but bad pixels), so that a class left without images can be explained.
     */
    default void problem(DataProblem problem, int label) {
        problem(problem);
    }
}
