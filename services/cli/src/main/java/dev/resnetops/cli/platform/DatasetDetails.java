package dev.resnetops.cli.platform;

import static dev.resnetops.cli.platform.ApiDisplay.count;

import dev.resnetops.cli.TextTable;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetVersionView;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.Problem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The full story of one dataset registration, as 'datasets show' and 'datasets add --wait' print it. */
final class DatasetDetails {

    private DatasetDetails() {}

    static void print(DatasetView d, PrintWriter out) {
        field(out, "dataset", d.name() + "  (" + d.id() + ")");
        field(out, "source", d.source());
        field(out, "status", String.valueOf(d.status()));
        field(out, "created", ApiDisplay.time(d.createdAt()) + ", updated " + ApiDisplay.time(d.updatedAt()));
        if (d.status() == DatasetStatus.FAILED) {
            field(out, "error", d.error() == null ? "(no reason given)" : d.error());
        }
        DatasetVersionView v = d.version();
        if (v != null) {
            field(out, "version", v.id() + "  " + v.format());
            field(out, "content", v.contentHash());
            field(out, "images", v.channels() + " x " + v.height() + " x " + v.width() + " (channels x height x width), "
                    + (v.classes() == null ? 0 : v.classes().size()) + " classes");
            field(out, "normalise", "mean " + ApiDisplay.numbers(v.mean()) + "  std " + ApiDisplay.numbers(v.std()));
            field(out, "shards", v.shardLocation());
            out.println();
            classTable(v).print(out);
        }
        List<Problem> problems = d.problems() == null ? List.of() : d.problems();
        if (!problems.isEmpty()) {
            out.println();
            out.println(problems.size() + " file(s) quarantined (left out of the version):");
            TextTable table = TextTable.withColumns("file", "reason");
            problems.forEach(p -> table.row(p.field(), p.message()));
            table.print(out, "  ");
        }
        out.flush();
    }

    /** One row per class and a total row; one column per split, in the order the API gives them. */
    private static TextTable classTable(DatasetVersionView v) {
        Map<String, Integer> counts = v.counts() == null ? Map.of() : v.counts();
        Map<String, Map<String, Integer>> perClass = v.classCounts() == null ? Map.of() : v.classCounts();
        Set<String> splitSet = new LinkedHashSet<>(counts.keySet());
        splitSet.addAll(perClass.keySet());
        List<String> splits = new ArrayList<>(splitSet);

        List<String> headers = new ArrayList<>(List.of("class"));
        headers.addAll(splits);
        TextTable table = TextTable.withColumns(headers.toArray(String[]::new)).alignRight(splits.toArray(String[]::new));
        Set<String> classes = new LinkedHashSet<>(v.classes() == null ? List.of() : v.classes());
        perClass.values().forEach(m -> classes.addAll(m.keySet()));
        for (String name : classes) {
            List<Object> row = new ArrayList<>(List.of(name));
            splits.forEach(split -> row.add(count(perClass.getOrDefault(split, Map.of()).get(name))));
            table.row(row.toArray());
        }
        List<Object> total = new ArrayList<>(List.of("total"));
        splits.forEach(split -> total.add(count(counts.get(split))));
        return table.row(total.toArray());
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-10s %s%n", name, value == null ? "-" : value);
    }
}
