package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.vision.eval.MetricBarChart;
import dev.resnetops.workflows.plan.ResultTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The result table as files on the workflow's parent MLflow run: {@code result/result.csv} (fractions,
 * for spreadsheets), {@code result/result.md} and {@code result/result.png} (a bar chart per row).
 */
@ApplicationScoped
class ResultArtifacts {

    static final String FOLDER = "result";

    private final MlflowClient mlflow;
    private final RunResult results;

    ResultArtifacts(MlflowClient mlflow, RunResult results) {
        this.mlflow = mlflow;
        this.results = results;
    }

    void upload(String parentRunId, JsonNode stored) {
        Optional<ResultTable> table = results.read(stored);
        if (table.isEmpty()) {
            return;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("workflow-result");
            Files.writeString(dir.resolve("result.csv"), table.get().toCsv());
            Files.writeString(dir.resolve("result.md"), table.get().toMarkdown());
            chart(table.get(), dir.resolve("result.png"));
            mlflow.uploadDirectory(parentRunId, dir, FOLDER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result files of MLflow run " + parentRunId, e);
        } finally {
            delete(dir);
        }
    }

    private static void chart(ResultTable table, Path png) throws IOException {
        double[][] values = new double[table.rows().size()][table.columns().size()];
        for (int row = 0; row < values.length; row++) {
            for (int column = 0; column < table.columns().size(); column++) {
                Double value = table.rows().get(row).values().get(table.columns().get(column));
                values[row][column] = value == null ? Double.NaN : value;
            }
        }
        new MetricBarChart().render("test accuracy per row", table.rows().stream().map(ResultTable.Row::label).toList(),
                table.columns(), values, png);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind is harmless; the upload's outcome is what matters.
        }
    }
}
