package dev.resnetops.vision.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.resnetops.vision.config.ConfigProblem.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of rule a configuration can break, with the field, rule and found value a caller reads. */
class ConfigProblemTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void textThatIsNotJsonIsASyntaxProblemOfTheWholeConfiguration() {
        ConfigProblem problem = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"epochs\": "));
        assertThat(problem.field()).isNull();
        assertThat(problem.rule()).isEqualTo(Rule.SYNTAX);
        assertThat(problem.found()).isNull();
        assertThat(problem.message()).startsWith("not valid JSON: ");
        assertThat(problem.toString()).isEqualTo(problem.message());
    }

    @Test
    void aListInsteadOfAMappingIsNotAMapping() {
        ConfigProblem problem = onlyProblem(() -> TrainingConfigCodec.fromYaml("- 1\n- 2\n"));
        assertThat(problem.field()).isNull();
        assertThat(problem.rule()).isEqualTo(Rule.NOT_A_MAPPING);
        assertThat(problem.found()).isNull();
        assertThat(problem.message()).isEqualTo("a training configuration must be a mapping of fields, found array");
    }

    @Test
    void anUnknownFieldCarriesItsNameAndValue() {
        List<ConfigProblem> problems = problems(() -> TrainingConfigCodec.fromYaml("epochz: 3\nbogus: [1, 2]\n"));
        assertThat(problems).extracting(ConfigProblem::field).containsExactly("epochz", "bogus");
        assertThat(problems).extracting(ConfigProblem::rule).containsOnly(Rule.UNKNOWN_FIELD);
        assertThat(problems.get(0).found()).isEqualTo(NODES.numberNode(3));
        assertThat(problems.get(1).found()).isEqualTo(NODES.arrayNode().add(1).add(2));
        assertThat(problems.get(0).message()).startsWith("unknown field (known fields: augment, batchSize,");
    }

    @Test
    void aFractionForAnIntIsTheWrongType() {
        ConfigProblem problem = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"epochs\": 2.5}"));
        assertThat(problem.field()).isEqualTo("epochs");
        assertThat(problem.rule()).isEqualTo(Rule.WRONG_TYPE);
        assertThat(problem.found()).isEqualTo(NODES.numberNode(2.5));
        assertThat(problem.message()).startsWith("wrong type or value: ");
    }

    @Test
    void nullWhereAValueIsNeededIsRequired() {
        ConfigProblem primitive = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"epochs\": null}"));
        assertThat(primitive.field()).isEqualTo("epochs");
        assertThat(primitive.rule()).isEqualTo(Rule.REQUIRED);
        assertThat(primitive.found()).isEqualTo(NullNode.getInstance());

        ConfigProblem schedule = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"schedule\": null}"));
        assertThat(schedule).isEqualTo(new ConfigProblem("schedule", Rule.REQUIRED, NullNode.getInstance(),
                "must be 'cosine' or 'step', found null"));

        ConfigProblem model = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"model\": null}"));
        assertThat(model).isEqualTo(new ConfigProblem("model", Rule.REQUIRED, NullNode.getInstance(),
                "required: a preset name (run 'mlops models' for the list)"));
    }

    @Test
    void aNumberOutsideItsBoundsIsOutOfRangeWithTheValueFound() {
        ConfigProblem epochs = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"epochs\": 20000}"));
        assertThat(epochs).isEqualTo(new ConfigProblem("epochs", Rule.OUT_OF_RANGE, NODES.numberNode(20000),
                "must be in [1, 10000], found 20000"));
        assertThat(epochs.toString()).isEqualTo("epochs: must be in [1, 10000], found 20000");

        // A bound set by another field is still a range.
        ConfigProblem warmup = onlyProblem(() -> TrainingConfig.builder().epochs(2).warmupEpochs(2.0).build());
        assertThat(warmup).isEqualTo(new ConfigProblem("warmupEpochs", Rule.OUT_OF_RANGE, NODES.numberNode(2.0),
                "must be >= 0 and less than epochs (2): set warmupEpochs below 2 (e.g. 1.0) or raise epochs, found 2.0"));

        ConfigProblem milestones = onlyProblem(() -> TrainingConfigCodec.fromYaml("stepMilestones: [0.5, 0.3]\n"));
        assertThat(milestones.field()).isEqualTo("stepMilestones");
        assertThat(milestones.rule()).isEqualTo(Rule.OUT_OF_RANGE);
        assertThat(milestones.found()).isEqualTo(NODES.arrayNode().add(0.5).add(0.3));
        assertThat(milestones.message()).isEqualTo("must be increasing fractions in (0, 1), found [0.5, 0.3]");
    }

    @Test
    void aNameTheFieldDoesNotAcceptIsNotOneOf() {
        ConfigProblem model = onlyProblem(() -> TrainingConfigCodec.fromYaml("model: resnet51\n"));
        assertThat(model).isEqualTo(new ConfigProblem("model", Rule.NOT_ONE_OF, NODES.textNode("resnet51"),
                "unknown preset 'resnet51' (run 'mlops models' for the list)"));

        ConfigProblem precision = onlyProblem(() -> TrainingConfigCodec.fromYaml("precision: fp8\n"));
        assertThat(precision.field()).isEqualTo("precision");
        assertThat(precision.rule()).isEqualTo(Rule.NOT_ONE_OF);
        assertThat(precision.found()).isEqualTo(NODES.textNode("fp8"));
        assertThat(precision.message()).startsWith("wrong type or value: ").contains("fp8");
    }

    @Test
    void bf16IsAKnownButUnsupportedPrecision() {
        ConfigProblem problem = onlyProblem(() -> TrainingConfigCodec.fromYaml("precision: bf16\n"));
        assertThat(problem.field()).isEqualTo("precision");
        assertThat(problem.rule()).isEqualTo(Rule.UNSUPPORTED);
        assertThat(problem.found()).isEqualTo(NODES.textNode("bf16"));
        assertThat(problem.message()).startsWith("bf16 is not supported: DJL 0.36 aborts the JVM");
    }

    @Test
    void nesterovWithoutMomentumIsAConflictOnNesterov() {
        ConfigProblem problem = onlyProblem(() -> TrainingConfigCodec.fromJson("{\"momentum\": 0, \"nesterov\": true}"));
        assertThat(problem).isEqualTo(new ConfigProblem("nesterov", Rule.CONFLICT, NODES.booleanNode(true),
                "needs momentum > 0, found true"));
    }

    @Test
    void aFileNamesItselfInTheMessageAndKeepsTheProblemsAsTheyAre(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"epochs\": 20000, \"batchSize\": 0}");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> TrainingConfigCodec.read(bad));
        assertThat(e.source()).contains("bad.json");
        assertThat(e.problems()).extracting(ConfigProblem::field).containsExactly("epochs", "batchSize");
        assertThat(e.problems().get(0).found()).isEqualTo(NODES.numberNode(20000));
        assertThat(e.getMessage()).isEqualTo("invalid training configuration: bad.json: epochs: must be in [1, 10000],"
                + " found 20000; bad.json: batchSize: must be in [1, 65536], found 0");
    }

    private static ConfigProblem onlyProblem(Runnable parse) {
        List<ConfigProblem> problems = problems(parse);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private static List<ConfigProblem> problems(Runnable parse) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, parse::run);
        assertThat(e.source()).isEmpty();
        return e.problems();
    }
}
