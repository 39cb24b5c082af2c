package dev.resnetops.vision.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingConfigTest {

    private static TrainingConfig nonDefault() {
        return TrainingConfig.builder()
                .model("resnet50-d-small").inputSize(40).epochs(7).batchSize(96).learningRate(0.137)
                .schedule(ScheduleKind.STEP).warmupEpochs(0.5).finalLearningRate(1e-5)
                .stepMilestones(new double[] {0.3, 0.6, 0.9}).stepGamma(0.2).momentum(0.85).nesterov(false)
                .weightDecay(1e-4).labelSmoothing(0.05).precision(Precision.FP16).seed(-42L)
                .maxTrainSamples(1234).maxTestSamples(567).augment(false).workers(3).lossScaleGrowthInterval(100)
                .init("/data/resnet50-11ad3fa6.pth").freeze(FreezePoint.STAGE2).freezeBatchNorm(false)
                .headLearningRateMultiplier(10)
                .build();
    }

    @Test
    void roundTripsExactlyThroughJsonAndYaml() {
        TrainingConfig config = nonDefault();
        assertThat(TrainingConfigCodec.fromJson(TrainingConfigCodec.toJson(config))).isEqualTo(config);
        assertThat(TrainingConfigCodec.fromYaml(TrainingConfigCodec.toYaml(config))).isEqualTo(config);
        assertThat(TrainingConfigCodec.fromTree(TrainingConfigCodec.toTree(config))).isEqualTo(config);
        assertThat(TrainingConfigCodec.toJson(config)).contains("\"precision\" : \"fp16\"", "\"schedule\" : \"step\"",
                "\"freeze\" : \"stage2\"");
    }

    @Test
    void missingFieldsTakeThePaperRecipeDefaults() {
        TrainingConfig config = TrainingConfigCodec.fromYaml("epochs: 3\n");
        assertThat(config.model()).isEqualTo("resnet50-paper-small");
        assertThat(config.inputSize()).isEqualTo(32);
        assertThat(config.labelSmoothing()).isEqualTo(0.1);
        assertThat(config.schedule()).isEqualTo(ScheduleKind.COSINE);
        assertThat(config.finalLearningRate()).isZero();
        assertThat(config.epochs()).isEqualTo(3);
        assertThat(TrainingConfigCodec.fromYaml("model: resnet50\n").inputSize()).isEqualTo(224);
    }

    @Test
    void aRequestThatSetsOnlyOneEpochIsValidWithAWarmupOfHalfTheRun() {
        TrainingConfig oneEpoch = TrainingConfigCodec.fromJson("{\"epochs\": 1}");
        assertThat(oneEpoch.warmupEpochs()).isEqualTo(0.5);
        assertThat(TrainingConfigCodec.fromJson("{\"epochs\": 2}").warmupEpochs()).isEqualTo(1.0);
        assertThat(TrainingConfig.builder().build().warmupEpochs()).isEqualTo(1.0);
        assertThat(TrainingConfig.builder().epochs(1).build().warmupEpochs()).isEqualTo(0.5);
    }

    @Test
    void aWarmupTheRequestSetPastTheRunSaysWhichFieldToChangeAndHow() {
        assertThatThrownBy(() -> TrainingConfigCodec.fromJson("{\"epochs\": 1, \"warmupEpochs\": 1}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("warmupEpochs: must be >= 0 and less than epochs (1)")
                .hasMessageContaining("set warmupEpochs below 1 (e.g. 0.5) or raise epochs");
    }

    @Test
    void fieldsSetOverAFileJoinItBeforeDefaultsSoTheWarmupFollowsAnOverriddenEpochs(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("run.yaml"), "epochs: 10\nbatchSize: 32\n");
        TrainingConfig config = TrainingConfigCodec.read(file, java.util.Map.of("epochs", 1));
        assertThat(config.epochs()).isEqualTo(1);
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(config.warmupEpochs()).isEqualTo(0.5);
        assertThatThrownBy(() -> TrainingConfigCodec.read(file, java.util.Map.of("epochs", 0)))
                .as("a bad override is not blamed on the file").hasMessageNotContaining("run.yaml")
                .hasMessageContaining("epochs:");
        assertThat(TrainingConfigCodec.read(null, java.util.Map.of("epochs", 1)).warmupEpochs()).isEqualTo(0.5);
    }

    @Test
    void rejectsUnknownFieldsNamingEachOne() {
        assertThatThrownBy(() -> TrainingConfigCodec.fromYaml("epochs: 3\nlearning_rate: 0.1\nbogus: 1\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("learning_rate: unknown field")
                .hasMessageContaining("bogus: unknown field")
                .hasMessageContaining("learningRate");
    }

    @Test
    void rejectsOutOfRangeValuesNamingEveryField() {
        InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> TrainingConfigCodec.fromJson("{\"epochs\": 0, \"batchSize\": -1, \"labelSmoothing\": 1.5,"
                        + " \"model\": \"resnet51\", \"momentum\": 1}"));
        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.startsWith("epochs:"))
                .anyMatch(p -> p.startsWith("batchSize:"))
                .anyMatch(p -> p.startsWith("labelSmoothing:") && p.contains("found 1.5"))
                .anyMatch(p -> p.startsWith("model:") && p.contains("resnet51"))
                .anyMatch(p -> p.startsWith("momentum:"));
    }

    @Test
    void rejectsWrongTypesNamingTheField() {
        assertThatThrownBy(() -> TrainingConfigCodec.fromJson("{\"epochs\": 2.5}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("epochs");
        assertThatThrownBy(() -> TrainingConfigCodec.fromYaml("precision: fp8\n"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("precision");
        assertThatThrownBy(() -> TrainingConfigCodec.fromYaml("- 1\n- 2\n"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("mapping");
    }

    @Test
    void bf16IsRejectedWithTheReason() {
        assertThatThrownBy(() -> TrainingConfigCodec.fromYaml("precision: bf16\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bf16 is not supported")
                .hasMessageContaining("aborts the JVM");
    }

    @Test
    void readsFilesByExtensionAndNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, TrainingConfigCodec.toYaml(nonDefault()));
        assertThat(TrainingConfigCodec.read(yaml)).isEqualTo(nonDefault());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"epochs\": -3}");
        assertThatThrownBy(() -> TrainingConfigCodec.read(bad)).hasMessageContaining("bad.json: epochs");
    }

    @Test
    void parametersAreFlatStringsForTracking() {
        assertThat(nonDefault().toParameters())
                .containsEntry("model", "resnet50-d-small")
                .containsEntry("learningRate", "0.137")
                .containsEntry("stepMilestones", "[0.3,0.6,0.9]")
                .containsEntry("precision", "fp16")
                .containsEntry("init", "/data/resnet50-11ad3fa6.pth")
                .containsEntry("freeze", "stage2")
                .containsEntry("normalization", "auto")
                .hasSize(26);
    }

    @Test
    void startsFromRandomWeightsUnlessInitSaysOtherwise() {
        TrainingConfig config = TrainingConfig.builder().build();
        assertThat(config.initSource()).isEqualTo(new InitSource.Scratch());
        assertThat(config.freeze()).isEqualTo(FreezePoint.NONE);
        assertThat(config.freezeBatchNorm()).isTrue();
        assertThat(config.headLearningRateMultiplier()).isEqualTo(1.0);
    }

    @Test
    void initNamesAFileAJobOrARegisteredModel() {
        assertThat(InitSource.parse("/data/resnet50.pth")).isEqualTo(new InitSource.LocalPath("/data/resnet50.pth"));
        assertThat(InitSource.parse("runs/first/checkpoint")).isEqualTo(new InitSource.LocalPath("runs/first/checkpoint"));
        assertThat(InitSource.parse("file:odd@name.pth")).isEqualTo(new InitSource.LocalPath("odd@name.pth"));
        assertThat(InitSource.parse("job:72f3bc9b")).isEqualTo(new InitSource.Job("72f3bc9b"));
        assertThat(InitSource.parse("resnetops-fashion-mnist@champion"))
                .isEqualTo(new InitSource.RegisteredModel("resnetops-fashion-mnist", "champion"));
        assertThat(InitSource.parse(" cifar10@3 ")).isEqualTo(new InitSource.RegisteredModel("cifar10", "3"));
        assertThat(InitSource.parse("weights:resnet50-imagenet")).isEqualTo(new InitSource.Uploaded("resnet50-imagenet"));
        assertThat(InitSource.parse("weights:resnet50-imagenet").needsPlatform()).isTrue();
        assertThat(InitSource.parse("/data/resnet50.pth").needsPlatform()).isFalse();
        assertThatThrownBy(() -> InitSource.parse("weights:../etc/passwd"))
                .hasMessageContaining("needs the name of an uploaded weights file");
    }

    @Test
    void normalisationFollowsTheWeightsUnlessSetAndIsOneOfThree() throws Exception {
        assertThat(TrainingConfig.builder().build().normalization()).isEqualTo(Normalization.AUTO);
        assertThat(TrainingConfigCodec.fromJson("{\"normalization\": \"imagenet\"}").normalization())
                .isEqualTo(Normalization.IMAGENET);
        assertThat(TrainingConfig.builder().build().toParameters()).containsEntry("normalization", "auto");
        assertThatThrownBy(() -> TrainingConfigCodec.fromJson("{\"normalization\": \"cifar\"}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("normalization");
    }

    @Test
    void freezingNeedsPretrainedWeightsAndTheMultiplierARange() {
        assertThatThrownBy(() -> TrainingConfigCodec.fromJson(
                "{\"freeze\": \"stage3\", \"headLearningRateMultiplier\": 0, \"init\": \"\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("freeze: needs init")
                .hasMessageContaining("headLearningRateMultiplier: must be in (0, 1000]");
        assertThatThrownBy(() -> TrainingConfigCodec.fromJson("{\"init\": \"job:\"}"))
                .hasMessageContaining("'job:' needs the id of an earlier job");
        assertThatThrownBy(() -> TrainingConfigCodec.fromJson("{\"init\": \"x.pth\", \"freeze\": \"stage5\"}"))
                .hasMessageContaining("freeze");
    }
}
