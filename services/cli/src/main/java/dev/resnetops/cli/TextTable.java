package dev.resnetops.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table: a header row, then rows, each column as wide as its widest cell; numbers right-aligned. */
public final class TextTable {

    private static final String GAP = "  ";

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> headers) {
        this.headers = headers;
        this.rightAligned = new boolean[headers.size()];
    }

    public static TextTable withColumns(String... headers) {
        return new TextTable(List.of(headers));
    }

    /** Right-aligns the named columns (counts, percentages, durations). */
    public TextTable alignRight(String... columns) {
        for (String column : columns) {
            int index = headers.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("no column '" + column + "' in " + headers);
            }
            rightAligned[index] = true;
        }
        return this;
    }

    /** One row; null cells print as "-". */
    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + headers + " needs " + headers.size() + " cells, got "
                    + cells.length + ": " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(cell -> cell == null ? "-" : cell.toString()).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        print(out, "");
    }

    public void print(PrintWriter out, String indent) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(indent + line(headers, widths));
        rows.forEach(row -> out.println(indent + line(row, widths)));
        out.flush();
    }

    private String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String padding = " ".repeat(widths[i] - cell.length());
            boolean last = i == cells.size() - 1;
            line.append(rightAligned[i] ? padding + cell : last ? cell : cell + padding);
            if (!last) {
                line.append(GAP);
            }
        }
        return line.toString();
    }
}
