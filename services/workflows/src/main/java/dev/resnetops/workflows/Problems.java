package dev.resnetops.workflows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one definition or request. Checks go on after a problem so the author sees
 * everything wrong in one submission; {@link #throwIfAny()} ends a phase whose output would be
 * meaningless with problems in its input.
 */
public final class Problems {

    private final String file;
    private final List<WorkflowProblem> found = new ArrayList<>();

    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void add(int line, String message) {
        found.add(new WorkflowProblem(file, Math.max(line, 1), message));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws {@link InvalidWorkflowException} with the problems in line order, if there are any. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            List<WorkflowProblem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt(WorkflowProblem::line)); // stable: same-line problems keep their order
            throw new InvalidWorkflowException(sorted);
        }
    }
}
