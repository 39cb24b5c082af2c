package dev.resnetops.workflows;

import java.util.List;

/**
 * A workflow definition, or a request to run one, that is refused before anything runs. Carries every
 * problem found, not only the first, each with its file and line.
 */
public final class InvalidWorkflowException extends IllegalArgumentException {

    private final List<WorkflowProblem> problems;

    public InvalidWorkflowException(List<WorkflowProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<WorkflowProblem> problems() {
        return problems;
    }

    private static String summary(List<WorkflowProblem> problems) {
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        StringBuilder text = new StringBuilder("invalid workflow (" + count + "):");
        problems.forEach(problem -> text.append("\n  ").append(problem));
        return text.toString();
    }
}
