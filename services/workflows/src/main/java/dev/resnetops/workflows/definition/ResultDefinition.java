package dev.resnetops.workflows.definition;

import java.util.List;
import java.util.Optional;

/**
 * The table a run's result is: a row per trained step, a column per test metric, and, with a
 * baseline, each metric's difference to the baseline row.
 *
 * @param columns  evaluate outputs that are numbers ({@code top1}, {@code top5})
 * @param baseline a train step among the rows that the differences are taken against
 */
public record ResultDefinition(int line, List<ResultRowDefinition> rows, List<String> columns,
                               Optional<StepLink> baseline) {

    public ResultDefinition {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
    }
}
