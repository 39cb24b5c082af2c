package dev.resnetops.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.resnetops.contracts.api.WorkflowParameterView;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.contracts.api.WorkflowStepView;
import dev.resnetops.contracts.api.WorkflowSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops workflows ...} against a fake platform API: typed --set values, the run and its steps. */
class WorkflowsCommandTest {

    private static final UUID RUN = UUID.fromString("5a6b7c8d-0000-4000-8000-000000000001");
    private static final WorkflowSummary ABLATION = new WorkflowSummary("paper-ablation", "the paper's table", List.of(
            new WorkflowParameterView("epochs", "int", 2L, null, List.of(), 1.0, null),
            new WorkflowParameterView("learning-rate", "number", 0.05, null, List.of(), null, null),
            new WorkflowParameterView("dataset", "string", "fashion-mnist", null, List.of(), null, null)), List.of());

    @TempDir Path home;
    private FakePlatformApi api;
    private CapturedCli cli;

    @BeforeEach
    void start() {
        api = FakePlatformApi.start();
        cli = new CapturedCli(home);
    }

    @AfterEach
    void stop() {
        cli.close();
        api.close();
    }

    @Test
    void runSendsSetValuesInTheParametersDeclaredTypes() throws Exception {
        api.reply("GET", "/workflows", 200, List.of(ABLATION));
        api.reply("POST", "/workflows/paper-ablation/runs", 201, run(WorkflowRunState.RUNNING, WorkflowStepState.PENDING));

        int code = cli.run("workflows", "run", "paper-ablation", "--set", "epochs=1", "--set", "learning-rate=0.1",
                "--set", "dataset=fmnist", "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        JsonNode parameters = api.only("POST", "/workflows/paper-ablation/runs").json().get("parameters");
        assertThat(parameters.get("epochs").isIntegralNumber()).isTrue();
        assertThat(parameters.get("epochs").asInt()).isEqualTo(1);
        assertThat(parameters.get("learning-rate").asDouble()).isEqualTo(0.1);
        assertThat(parameters.get("dataset").asText()).isEqualTo("fmnist");
        assertThat(cli.out()).contains("started workflow run " + RUN, "mlops workflows show 5a6b7c8d --follow");
    }

    @Test
    void runRefusesUnknownParametersAndWrongTypesBeforeSendingAnything() {
        api.reply("GET", "/workflows", 200, List.of(ABLATION));

        int code = cli.run("workflows", "run", "paper-ablation", "--set", "epoch=1", "--set", "epochs=two",
                "--api", api.url(), "--token", "t");

        assertThat(code).isNotZero();
        assertThat(cli.err()).contains("--set epoch: paper-ablation has no such parameter (parameters: epochs,")
                .contains("--set epochs: expected an int, found 'two'");
        assertThat(api.requests()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void showPrintsEveryStepAndTheResultTable() {
        api.reply("GET", "/workflows/runs/" + RUN, 200, run(WorkflowRunState.COMPLETED, WorkflowStepState.SUCCEEDED));

        int code = cli.run("workflows", "show", RUN.toString(), "--api", api.url());

        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("workflow run " + RUN + " (paper-ablation): COMPLETED", "baseline/evaluate",
                "top-1 91.20%, top-5 99.10%", "| ResNet-50 (baseline) | 91.20 |");
    }

    private static WorkflowRunView run(WorkflowRunState state, WorkflowStepState steps) {
        JsonNode evaluation = JsonNodeFactory.instance.objectNode().put("job", UUID.randomUUID().toString())
                .put("top1", 0.912).put("top5", 0.991);
        return new WorkflowRunView(RUN, "paper-ablation", state, null, JsonNodeFactory.instance.objectNode(), List.of(
                new WorkflowStepView("baseline", "train", "baseline", steps, 1, List.of(), UUID.randomUUID(), null, null,
                        null, null, null),
                new WorkflowStepView("baseline/evaluate", "evaluate", "baseline", steps, 1, List.of("baseline"), null,
                        steps == WorkflowStepState.SUCCEEDED ? evaluation : null, null, null, null, null)),
                null, state.isTerminal() ? "| row | top1 |\n|---|---|\n| ResNet-50 (baseline) | 91.20 |\n" : null, null,
                Instant.now(), Instant.now(), null);
    }
}
