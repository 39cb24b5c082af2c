package dev.resnetops.vision.data;

/** Receives what a reader finds in a split: good images, and records it had to quarantine. */
public interface SampleSink {

    void accept(LabelledImage image);

    void problem(DataProblem problem);
}
