package dev.resnetops.workflows.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders steps so each comes after everything it depends on, and otherwise keeps the order they were
 * written in (Kahn's algorithm, choosing the earliest-written ready step), so the plan reads like the
 * definition.
 */
final class TopologicalOrder {

    private TopologicalOrder() {}

    static List<PlannedStep> sort(List<PlannedStep> steps) {
        Map<String, Integer> position = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            PlannedStep step = steps.get(i);
            position.put(step.key(), i);
            waiting.put(step.key(), step.dependsOn().size());
            step.dependsOn().forEach(dependency -> dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(step.key()));
        }
        PriorityQueue<String> ready = new PriorityQueue<>((a, b) -> Integer.compare(position.get(a), position.get(b)));
        waiting.forEach((key, count) -> {
            if (count == 0) {
                ready.add(key);
            }
        });
        List<PlannedStep> sorted = new ArrayList<>();
        while (!ready.isEmpty()) {
            String key = ready.poll();
            sorted.add(steps.get(position.get(key)));
            for (String dependent : dependents.getOrDefault(key, List.of())) {
                if (waiting.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (sorted.size() != steps.size()) {
            // The parser rejects cycles and the planner adds none; reaching this is a defect, not bad input.
            throw new IllegalStateException("planned steps have a cycle or a dependency on a missing step");
        }
        return sorted;
    }
}
