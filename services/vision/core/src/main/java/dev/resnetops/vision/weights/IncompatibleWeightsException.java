package dev.resnetops.vision.weights;

import java.util.List;

/**
 * The file's tensors do not fit the network: every missing, unexpected, mis-shaped or non-float
 * tensor is listed (name, expected and found shape), not only the first, so one run of the job
 * shows the whole mismatch. Nothing is loaded when it is thrown.
 */
public final class IncompatibleWeightsException extends IllegalArgumentException {

    private final List<String> problems;

    public IncompatibleWeightsException(String summary, List<String> problems) {
        super(summary + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
