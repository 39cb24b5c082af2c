package dev.resnetops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/services.conf: what it declares, and that the local stack's scripts read it as this code does. */
class ServiceDeclarationTest {

    private static final Path ROOT = Infrastructure.repoRoot();

    @Test
    void declaresTheFiveServicesInStartOrderEachWithItsModule() {
        assertThat(ServiceDeclaration.all()).extracting(ServiceDeclaration::name)
                .containsExactly("orchestrator", "ingestion", "trainer", "evaluator", "inference");
        for (ServiceDeclaration service : ServiceDeclaration.all()) {
            assertThat(ROOT.resolve(service.module()).resolve("pom.xml")).as(service.name() + "'s module").isRegularFile();
        }
        assertThat(ServiceDeclaration.of("trainer").threads()).isEqualTo(ServiceDeclaration.ThreadRule.SPLIT);
        assertThat(ServiceDeclaration.of("inference").startedPath()).isEqualTo("/q/health/live");
        // Evaluation yields the cores to training on a shared host; nothing else is niced.
        assertThat(ServiceDeclaration.all()).allSatisfy(s ->
                assertThat(s.nice()).as(s.name()).isEqualTo(s.name().equals("evaluator") ? 10 : 0));
        assertThat(ServiceDeclaration.of("orchestrator").startedPath()).isEqualTo("/q/health/ready");
    }

    @Test
    void eachServiceDefaultsToTheDeclaredPortUnderTheDeclaredVariable() throws IOException {
        for (ServiceDeclaration service : ServiceDeclaration.all()) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(
                    ROOT.resolve(service.module()).resolve("src/main/resources/application.properties"))) {
                properties.load(in);
            }
            assertThat(properties.getProperty("quarkus.http.port")).as(service.name())
                    .isEqualTo("${" + service.portVariable() + ":" + service.defaultPort() + "}");
        }
    }

    @Test
    void theLocalStackReadsTheSameDeclarations(@TempDir Path state) throws Exception {
        String script = ". deploy/local/lib.sh; . deploy/local/parts/services.sh; for s in \"${SERVICES[@]}\"; do"
                + " echo \"$s $(service_module $s) $(service_port $s) $(service_port_var $s) $(service_heap $s)"
                + " ${SERVICE_THREADS[$s]} ${SERVICE_NICE[$s]} ${SERVICE_STARTED[$s]}\"; done";
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile()).redirectErrorStream(true);
        // The defaults, not the ports ./mlops test exported or a developer's overrides.
        bash.environment().keySet().removeIf(name -> name.startsWith("MLOPS_") || name.equals("OMP_NUM_THREADS"));
        bash.environment().put("MLOPS_INFRA_STATE", state.toString());
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<String> expected = ServiceDeclaration.all().stream().map(s -> String.join(" ", s.name(), s.module(),
                String.valueOf(s.defaultPort()), s.portVariable(), s.heap(), s.threads().name().toLowerCase(),
                String.valueOf(s.nice()), s.startedPath())).toList();
        assertThat(output.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void splitThreadsShareTheCoresAndAllTakesEveryCore() {
        assertThat(ServiceDeclaration.ThreadRule.SPLIT.threads(2, 2)).isEqualTo(1);
        assertThat(ServiceDeclaration.ThreadRule.SPLIT.threads(8, 3)).isEqualTo(2);
        assertThat(ServiceDeclaration.ThreadRule.SPLIT.threads(2, 5)).isEqualTo(1);
        assertThat(ServiceDeclaration.ThreadRule.ALL.threads(8, 3)).isEqualTo(8);
    }

    @Test
    void aMalformedLineIsRefusedWithItsPlace() {
        List<String> lines = List.of("# name module port port-var heap threads nice started", "",
                "orchestrator services/orchestrator 8080 MLOPS_ORCHESTRATOR_PORT 1g all 0 /q/health/ready",
                "trainer services/trainer 8082 MLOPS_TRAINER_PORT 2g half 0 /q/health/ready",
                "evaluator services/evaluator 8083 MLOPS_EVALUATOR_PORT 1g all 25 /q/health/ready");
        assertThatThrownBy(() -> ServiceDeclaration.parse(lines, "services.conf"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("services.conf:4: expected 'name module port port-var heap all|split")
                .hasMessageContaining("half");
        assertThatThrownBy(() -> ServiceDeclaration.parse(List.of(lines.get(4)), "services.conf"))
                .hasMessageStartingWith("services.conf:1: expected").hasMessageContaining("nice(0-19)");
        assertThatThrownBy(() -> ServiceDeclaration.parse(List.of(lines.get(2), lines.get(2)), "services.conf"))
                .hasMessage("services.conf:2: 'orchestrator' is declared twice");
    }
}
