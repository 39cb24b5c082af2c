package dev.resnetops.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's experiments carry MLflow's experiment kind, so the UI opens them on the training runs and
 * not on the GenAI traces overview: new ones from the start, old ones without a kind on first use.
 */
class ExperimentKindTest {

    private final MlflowClient trainer = TestMlflow.clientOf("trainer");

    @Test
    void aNewExperimentIsOfTheModelTrainingKind() {
        String id = trainer.experimentIdFor(TestMlflow.unique("tracking-kind-new"), Map.of("purpose", "test"));

        assertThat(trainer.experimentTags(id))
                .containsEntry(MlflowClient.EXPERIMENT_KIND_TAG, "custom_model_development")
                .containsEntry("purpose", "test");
    }

    @Test
    void anExperimentMadeWithoutAKindGetsItOnFirstUse() throws Exception {
        String name = TestMlflow.unique("tracking-kind-old");
        String id = createWithoutKind(name);
        assertThat(trainer.experimentTags(id)).doesNotContainKey(MlflowClient.EXPERIMENT_KIND_TAG);

        assertThat(trainer.experimentIdFor(name)).isEqualTo(id);
        assertThat(trainer.experimentIdFor(name)).isEqualTo(id);

        assertThat(trainer.experimentTags(id)).containsEntry(MlflowClient.EXPERIMENT_KIND_TAG,
                MlflowClient.MODEL_TRAINING_KIND);
    }

    @Test
    void aKindSomeoneChoseIsKept() {
        String name = TestMlflow.unique("tracking-kind-chosen");
        String id = trainer.experimentIdFor(name, Map.of(MlflowClient.EXPERIMENT_KIND_TAG, "genai_development"));

        trainer.experimentIdFor(name);

        assertThat(trainer.experimentTags(id)).containsEntry(MlflowClient.EXPERIMENT_KIND_TAG, "genai_development");
    }

    /** An experiment as MLflow's own clients (or an older platform) make it: no tags at all. */
    private static String createWithoutKind(String name) throws IOException, InterruptedException {
        MlflowAccount admin = MlflowAccount.fromEnvironment().orElseThrow(() -> new IllegalStateException(
                "MLOPS_MLFLOW_USER is not set: run the tests with ./mlops test"));
        String basic = Base64.getEncoder().encodeToString((admin.user() + ":" + admin.password())
                .getBytes(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestMlflow.serverUri() + "/api/2.0/mlflow/experiments/create"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("name", name)))).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body()).path("experiment_id").asText();
    }
}
