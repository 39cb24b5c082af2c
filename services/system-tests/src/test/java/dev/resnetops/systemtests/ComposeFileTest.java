package dev.resnetops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose/compose.yaml runs each service as deploy/services.conf declares it (port, heap, the
 * health path that means started), so the container stack and the local stack cannot drift apart; and
 * the scale-out instances have ids of their own; each service logs in to Kafka as itself.
 */
class ComposeFileTest {

    private static final String FILE = "deploy/compose/compose.yaml";
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Reader in = Files.newBufferedReader(Infrastructure.repoRoot().resolve(FILE))) {
            Map<String, Object> compose = new Yaml().load(in);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void runsEveryDeclaredServiceOnItsPortWithItsHeapAndItsStartedCheck() {
        for (ServiceDeclaration declared : ServiceDeclaration.all()) {
            Map<String, Object> service = services.get(declared.name());
            assertThat(service).as("%s in %s", declared.name(), FILE).isNotNull();
            assertThat(strings(service.get("ports"))).as("%s's published port", declared.name())
                    .singleElement().asString().endsWith(":" + declared.defaultPort());
            assertThat(environment(service)).as("%s's environment", declared.name())
                    .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx" + declared.heap());
            assertThat(strings(healthcheck(service).get("test"))).as("%s's health check", declared.name())
                    .containsExactly("CMD", "http-ok", String.valueOf(declared.defaultPort()), declared.startedPath());
        }
    }

    @Test
    void theScaleOutInstancesAreTheirServiceWithIdsOfTheirOwn() {
        assertThat(environment(services.get("trainer"))).containsEntry("MLOPS_WORKER_ID", "trainer-1");
        assertThat(environment(services.get("trainer-2"))).containsEntry("MLOPS_WORKER_ID", "trainer-2");
        assertThat(environment(services.get("inference"))).containsEntry("MLOPS_INSTANCE_ID", "inference-1");
        assertThat(environment(services.get("inference-2"))).containsEntry("MLOPS_INSTANCE_ID", "inference-2");
        for (String extra : List.of("trainer-2", "inference-2")) {
            String of = extra.replace("-2", "");
            assertThat(services.get(extra).get("image")).isEqualTo(services.get(of).get("image"));
            assertThat(strings(services.get(extra).get("profiles"))).containsExactly("scale-out");
            assertThat(healthcheck(services.get(extra))).isEqualTo(healthcheck(services.get(of)));
        }
    }

    @Test
    void everyServiceLogsInToKafkaAsItsOwnPrincipalWithOnlyItsOwnPassword() {
        for (String name : List.of("orchestrator", "ingestion", "trainer", "trainer-2", "evaluator", "inference",
                "inference-2")) {
            String principal = name.replace("-2", "");
            assertThat(environment(services.get(name))).as(name)
                    .containsEntry("MLOPS_KAFKA_USER", principal)
                    .containsEntry("MLOPS_KAFKA_PASSWORD_FILE", "/run/secrets/kafka-" + principal);
            assertThat(strings(services.get(name).get("secrets"))).as("%s's secrets", name)
                    .contains("kafka-" + principal)
                    .filteredOn(secret -> secret.startsWith("kafka-")).containsExactly("kafka-" + principal);
        }
        assertThat(environment(services.get("kafka"))).containsEntry("KAFKA_SASL_SECRETS", "/run/secrets");
    }

    @Test
    void ingestionTheTrainersAndTheEvaluatorShareTheDataVolumeAtOnePath() {
        // The evaluator reads checkpoints and shards by the absolute paths the trainer and ingestion wrote.
        for (String name : List.of("ingestion", "trainer", "trainer-2", "evaluator")) {
            assertThat(strings(services.get(name).get("volumes"))).as(name).contains("data:/var/lib/resnetops");
        }
    }

    @Test
    void eachServiceLogsInToPostgresqlWithItsOwnRoleAndSeesOnlyItsOwnPasswords() {
        for (ServiceDeclaration declared : ServiceDeclaration.all()) {
            String role = "resnetops_" + declared.name();
            Map<String, Object> service = services.get(declared.name());
            assertThat(environment(service)).as("%s's environment", declared.name())
                    .containsEntry("MLOPS_PG_USER", role)
                    .containsEntry("MLOPS_PG_PASSWORD_FILE", "/run/secrets/pg-" + role);
            List<String> passwords = strings(service.get("secrets")).stream().filter(s -> s.startsWith("pg-")).toList();
            // Only the orchestrator also holds the schema owner's password: Flyway's migrations run as the owner.
            if (declared.name().equals("orchestrator")) {
                assertThat(passwords).containsExactlyInAnyOrder("pg-" + role, "pg-resnetops");
                assertThat(environment(service)).containsEntry("MLOPS_PG_MIGRATION_USER", "resnetops")
                        .containsEntry("MLOPS_PG_MIGRATION_PASSWORD_FILE", "/run/secrets/pg-resnetops");
            } else {
                assertThat(passwords).as("%s's password secrets", declared.name()).containsExactly("pg-" + role);
            }
        }
        // MLflow's database login is its own role's; its other secrets are its accounts' (mlflow-*).
        assertThat(strings(services.get("mlflow").get("secrets")).stream().filter(s -> s.startsWith("pg-")))
                .containsExactly("pg-mlflow");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.get("environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> healthcheck(Map<String, Object> service) {
        return (Map<String, Object>) service.get("healthcheck");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }
}
