package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's result: per row the metrics its evaluate step recorded and, with a baseline, each metric
 * minus the baseline row's. Metrics are fractions as the evaluator records them (0.9213), so a delta
 * of 0.032 is the paper's "+3.2 Top-1".
 *
 * @param baseline the baseline row's label, or null when the table has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultTable(List<String> columns, String baseline, List<Row> rows) {

    /**
     * @param values a column's value, or null when the evaluate step recorded none (it failed or has not run)
     * @param deltas a column's difference to the baseline row, or null when either value is missing
     */
    public record Row(String label, String train, Map<String, Double> values, Map<String, Double> deltas) {
        public Row {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            deltas = Collections.unmodifiableMap(new LinkedHashMap<>(deltas));
        }
    }

    public ResultTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /**
     * @param outputs the output object of every finished step, by step key (workflow_steps.output)
     */
    public static ResultTable build(ResultSpec spec, Map<String, ? extends JsonNode> outputs) {
        Map<String, Double> baselineValues = spec.rows().stream()
                .filter(row -> row.label().equals(spec.baseline())).findFirst()
                .map(row -> values(spec.columns(), outputs.get(row.evaluate()))).orElse(Map.of());
        List<Row> rows = new ArrayList<>();
        for (ResultRowSpec row : spec.rows()) {
            Map<String, Double> values = values(spec.columns(), outputs.get(row.evaluate()));
            Map<String, Double> deltas = new LinkedHashMap<>();
            if (spec.baseline() != null) {
                for (String column : spec.columns()) {
                    Double value = values.get(column);
                    Double base = baselineValues.get(column);
                    deltas.put(column, value == null || base == null ? null : value - base);
                }
            }
            rows.add(new Row(row.label(), row.train(), values, deltas));
        }
        return new ResultTable(spec.columns(), spec.baseline(), rows);
    }

    /** The table in Markdown, metrics in percent with two decimals, for logs, the CLI and reports. */
    public String toMarkdown() {
        StringBuilder text = new StringBuilder("| row |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String column : columns) {
            text.append(' ').append(column).append(" |");
            rule.append("---|");
            if (baseline != null) {
                text.append(" \u0394 ").append(column).append(" |");
                rule.append("---|");
            }
        }
        text.append('\n').append(rule).append('\n');
        for (Row row : rows) {
            text.append("| ").append(row.label()).append(" |");
            for (String column : columns) {
                text.append(' ').append(percent(row.values().get(column), false)).append(" |");
                if (baseline != null) {
                    text.append(' ').append(percent(row.deltas().get(column), true)).append(" |");
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * The table as CSV for spreadsheets and MLflow: one line per row, metrics as the fractions the
     * evaluator records (not percent, so nothing is lost to rounding), empty where a value is missing.
     */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("row,train");
        for (String column : columns) {
            csv.append(',').append(column);
            if (baseline != null) {
                csv.append(",delta_").append(column);
            }
        }
        csv.append('\n');
        for (Row row : rows) {
            csv.append(csvText(row.label())).append(',').append(csvText(row.train()));
            for (String column : columns) {
                csv.append(',').append(plain(row.values().get(column)));
                if (baseline != null) {
                    csv.append(',').append(plain(row.deltas().get(column)));
                }
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static String csvText(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String plain(Double value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static Map<String, Double> values(List<String> columns, JsonNode output) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String column : columns) {
            JsonNode value = output == null ? null : output.get(column);
            values.put(column, value == null || !value.isNumber() ? null : value.doubleValue());
        }
        return values;
    }

    private static String percent(Double fraction, boolean signed) {
        if (fraction == null) {
            return "-";
        }
        return String.format(Locale.ROOT, signed ? "%+.2f" : "%.2f", 100 * fraction);
    }
}
