package dev.resnetops.workflows.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds cycles in a graph given as node -> nodes it points at, by depth-first search: every edge back
 * to a node still on the search path closes a cycle, reported as the path from that node round to it
 * again ({@code a -> b -> c -> a}), so the author sees exactly which steps to untangle.
 */
final class CycleFinder {

    private enum Mark { ON_PATH, DONE }

    private final Map<String, List<String>> edges;
    private final Map<String, Mark> marks = new HashMap<>();
    private final List<String> path = new ArrayList<>();
    private final List<List<String>> cycles = new ArrayList<>();

    private CycleFinder(Map<String, List<String>> edges) {
        this.edges = edges;
    }

    /** Each cycle as its nodes in order, the first repeated at the end; nodes are visited in map order. */
    static List<List<String>> cycles(Map<String, List<String>> edges) {
        CycleFinder finder = new CycleFinder(edges);
        edges.keySet().forEach(finder::visit);
        return finder.cycles;
    }

    private void visit(String node) {
        if (marks.containsKey(node)) {
            return;
        }
        marks.put(node, Mark.ON_PATH);
        path.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            if (marks.get(next) == Mark.ON_PATH) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                cycles.add(cycle);
            } else {
                visit(next);
            }
        }
        path.remove(path.size() - 1);
        marks.put(node, Mark.DONE);
    }
}
