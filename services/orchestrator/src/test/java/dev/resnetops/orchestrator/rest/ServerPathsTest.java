package dev.resnetops.orchestrator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.contracts.api.WorkflowStepView;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The paths hidden below admin in workflow runs: an export step's ONNX file in its output. */
class ServerPathsTest {

    private static final String ONNX = "/srv/resnetops/mlflow-artifacts/7/model.onnx";

    @Test
    void aWorkflowRunShowsAnExportStepsOnnxPathToAdminsOnly() {
        WorkflowRunView run = runWithExportOutput();

        WorkflowRunView toViewer = paths(Roles.VIEWER, Roles.SUBMITTER).shown(run);
        assertThat(toViewer.steps().get(0).output().path("onnx").asText()).isEqualTo(ServerPaths.HIDDEN);
        assertThat(toViewer.steps().get(0).output().path("model").asText()).isEqualTo("resnetops-x");
        assertThat(run.steps().get(0).output().path("onnx").asText()).as("the original is not changed").isEqualTo(ONNX);

        WorkflowRunView toAdmin = paths(Roles.ADMIN).shown(run);
        assertThat(toAdmin.steps().get(0).output().path("onnx").asText()).isEqualTo(ONNX);
    }

    private static ServerPaths paths(String... roles) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("someone"));
        for (String role : roles) {
            identity.addRole(role);
        }
        return new ServerPaths(identity.build());
    }

    private static WorkflowRunView runWithExportOutput() {
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("model", "resnetops-x").put("version", 3)
                .put("onnx", ONNX);
        WorkflowStepView export = new WorkflowStepView("train/export", "export", "export", WorkflowStepState.SUCCEEDED,
                1, List.of(), UUID.randomUUID(), output, null, null, Instant.EPOCH, Instant.EPOCH);
        return new WorkflowRunView(UUID.randomUUID(), "train-export", WorkflowRunState.COMPLETED, null, null,
                List.of(export), null, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    }
}
