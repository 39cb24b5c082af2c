package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How to build the run's result table once its steps have run: a row per trained step with the named
 * evaluate outputs as columns, and, with a baseline, each column's difference to the baseline row.
 *
 * @param baseline the label of the baseline row, or null for no differences
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultSpec(List<String> columns, String baseline, List<ResultRowSpec> rows) {

    public ResultSpec {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
