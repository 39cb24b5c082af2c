package dev.resnetops.workflows;

/**
 * One thing wrong with a workflow or a request to run it, at the line of the definition it is about,
 * so the author can jump to it: {@code paper-ablation.yaml:42: step 'sweep': grid field 'learningRat'
 * is not a training configuration field}.
 *
 * @param file the definition's file name (or workflow name when it came without one)
 * @param line 1-based line in that file
 */
public record WorkflowProblem(String file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
