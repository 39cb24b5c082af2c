package dev.resnetops.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.cli.stream.StreamImage;
import dev.resnetops.cli.stream.StreamSummary;
import dev.resnetops.contracts.api.JobRun;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.ModelVersionView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo's report: its numbers, and that it ends with where to look next, commands ready to paste. */
class DemoReportTest {

    private static final String MLFLOW = "http://127.0.0.1:5000";

    @TempDir
    Path temp;

    private static JobView job(String preset, String experimentId, String runId) {
        return new JobView(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), preset, JobState.COMPLETED, null,
                false, null, "resnetops-fashion-mnist", List.of(), null, Instant.EPOCH, Instant.EPOCH,
                new JobRun("w1", "cpu", 1, null, experimentId, runId, "/jobs/checkpoint"));
    }

    private static ModelVersionView version(JobView job, int number, double top1, double top5) {
        return new ModelVersionView("resnetops-fashion-mnist", number, job.id(), job.datasetVersionId(), top1, top5,
                true, null, "s3://x", "abc", List.of(), Instant.EPOCH);
    }

    private static String print(DemoReport report) {
        StringWriter text = new StringWriter();
        report.print(new PrintWriter(text));
        return text.toString();
    }

    private static DemoReport report(DemoNextSteps next) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        DemoBudget budget = demo.budget;
        JobView baseline = job(DemoCommand.BASELINE, "7", "aaa111");
        JobView paper = job(DemoCommand.PAPER, "7", "bbb222");
        StreamSummary stream = new StreamSummary(1000, 1000, 0, Map.of(), 0, 0, List.of(), 1000, 0.8123, 0.99, 12.5,
                80.0, new StreamSummary.Latency(1000, 200.0, 400.0, 500.0, 600.0), Map.of("3", 1000));
        return new DemoReport("resnetops-fashion-mnist", List.of(baseline, paper),
                Map.of(baseline.id(), version(baseline, 2, 0.7654, 0.98), paper.id(), version(paper, 3, 0.8123, 0.99)),
                3, stream, 321, budget, next);
    }

    @Test
    void endsWithTheMlflowLinksAndTheCommandsToClassifyAndStream() {
        JobView anyJob = job(DemoCommand.PAPER, "7", "bbb222");
        DemoNextSteps next = new DemoNextSteps(MlflowLinks.compareRuns(MLFLOW, List.of(job("a", "7", "aaa111"), anyJob)),
                MlflowLinks.experiment(MLFLOW, anyJob), ".mlops/infra/secrets/mlflow-admin", ".mlops/demo/test-ankle-boot.png",
                "Ankle boot", "/usr/share/datasets/fashion-mnist", "", "");

        String text = print(report(next));

        assertThat(text).contains("baseline", "76.54%", "paper", "81.23%", "champion")
                .contains("test_top1 / test_top5");
        String last = text.substring(text.indexOf("== where to look next"));
        assertThat(text.indexOf("== where to look next")).isGreaterThan(text.indexOf("wall time: 5m21s"));
        assertThat(last).contains("both runs side by side: " + MLFLOW + "/#/compare-runs?runs=%5B%22aaa111%22%2C%22bbb222%22%5D"
                        + "&experiments=%5B%227%22%5D&workflowType=machine_learning")
                .contains("the experiment's runs:  " + MLFLOW + "/#/experiments/7/runs?workflowType=machine_learning")
                .contains("log in as admin, password in .mlops/infra/secrets/mlflow-admin")
                .contains("classify one test image (true class: Ankle boot) with the champion:")
                .contains("  ./mlops classify .mlops/demo/test-ankle-boot.png --top 3\n")
                .contains("  ./mlops stream /usr/share/datasets/fashion-mnist --limit 1000\n");
        assertThat(text.stripTrailing()).endsWith("./mlops stream /usr/share/datasets/fashion-mnist --limit 1000");
    }

    @Test
    void theCommandsKeepTheAddressesTheDemoWasGiven() {
        DemoNextSteps next = new DemoNextSteps(null, null, "/state/secrets/mlflow-admin", null, null, "/data/fm",
                " --url http://10.0.0.5:8084", " --bootstrap 10.0.0.5:9092");

        String last = print(report(next));

        assertThat(last).contains("both runs side by side: (the runs have no MLflow run id yet)")
                .doesNotContain("the experiment's runs")
                .contains("./mlops classify IMAGE --top 3 --url http://10.0.0.5:8084")
                .contains("./mlops stream /data/fm --limit 1000 --bootstrap 10.0.0.5:9092");
    }

    @Test
    void savesTheSampleImageUnderItsLabelWithTheRightExtension() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
        Path saved = DemoSampleImage.save(new StreamImage.Encoded("test#0", "T-shirt/top", png), temp.resolve("demo"));

        assertThat(saved).hasFileName("test-t-shirt-top.png");
        assertThat(Files.readAllBytes(saved)).isEqualTo(png);
    }
}
