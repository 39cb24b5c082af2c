package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.resnetops.vision.config.FreezePoint;
import dev.resnetops.vision.config.Normalization;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import dev.resnetops.vision.weights.IncompatibleWeightsException;
import dev.resnetops.vision.weights.InitReport;
import dev.resnetops.vision.weights.SafetensorsWriter;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TensorDtype;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a run from weights: a file through the key mapping, frozen parts that provably do not
 * move (values compared bit for bit after training), BatchNorm statistics frozen or following the
 * data, and an earlier run's checkpoint as the start.
 */
class FineTuneTest {

    private static final ModelPreset PRESET = ModelZoo.preset("resnet18-small");
    private static final int FILE_CLASSES = 5;

    @TempDir
    static Path dir;

    private static ShardedDataset data;
    private static Path weightsFile;
    private static Map<String, float[]> fileValues;
    /** One fine-tuning run from the file, frozen up to Stage 3, shared by the tests that read it. */
    private static TrainingResult frozenRun;
    private static RunStart frozenStart;

    @BeforeAll
    static void pretrainedWeightsAndData() throws IOException {
        data = SyntheticDatasets.patterns(dir.resolve("data"), 96, 16, 5);
        fileValues = new LinkedHashMap<>();
        List<StoredTensor> tensors = new ArrayList<>();
        int i = 0;
        for (Entry entry : layout(FILE_CLASSES)) {
            float[] values = new float[(int) StoredTensor.numel(entry.shape())];
            for (int k = 0; k < values.length; k++) {
                // BN variances must stay positive; everything else small and varied
                values[k] = entry.key().endsWith("running_var") ? 1f + (k % 5) / 10f
                        : (float) Math.sin(0.37 * k + i) * 0.05f + (entry.key().endsWith("bn1.weight") ? 1f : 0f);
            }
            i++;
            fileValues.put(entry.key(), values);
            tensors.add(new StoredTensor(entry.key(), TensorDtype.F32, entry.shape(), values));
        }
        weightsFile = dir.resolve("pretrained.safetensors");
        SafetensorsWriter.write(tensors, Map.of(), weightsFile);
        AtomicReference<RunStart> start = new AtomicReference<>();
        frozenRun = train(dir.resolve("frozen"), config().freeze(FreezePoint.STAGE3).build(), start);
        frozenStart = start.get();
    }

    @Test
    void theFrozenPartDoesNotMoveTheRestLearnsAndTheHeadIsNew() {
        TrainingResult result = frozenRun;

        assertThat(result.history()).hasSize(1);
        InitReport init = frozenStart.init();
        assertThat(init.format()).isEqualTo("safetensors");
        assertThat(init.sha256()).hasSize(64);
        assertThat(init.keyConvention()).isEqualTo("torchvision");
        assertThat(init.headLoaded()).isFalse();
        assertThat(init.notes()).anySatisfy(n -> assertThat(n).contains("the classifier is new"));

        Map<String, float[]> trained = checkpointValues(result.checkpointDir());
        for (String key : trained.keySet()) {
            boolean frozen = !key.startsWith("layer4") && !key.startsWith("fc");
            if (frozen) {
                assertThat(trained.get(key)).as("%s is frozen (running statistics included)", key)
                        .isEqualTo(fileValues.get(key));
            }
        }
        assertThat(trained.get("layer4.0.conv1.weight")).as("Stage 4 trains")
                .isNotEqualTo(fileValues.get("layer4.0.conv1.weight"));
        assertThat(trained.get("layer4.1.bn2.running_mean")).as("Stage 4's BatchNorm follows the data")
                .isNotEqualTo(fileValues.get("layer4.1.bn2.running_mean"));
        assertThat(trained.get("fc.weight")).hasSize(10 * 512);
    }

    @Test
    void imagesAreNormalisedAsTheWeightsWereTrainedAndTheModelIsSavedSo() {
        // A weights file is torchvision's/timm's: ImageNet's statistics, averaged over RGB for grey images.
        assertThat(frozenStart.preprocessing().mean()).containsExactly(0.449f);
        assertThat(frozenStart.preprocessing().std()).containsExactly((0.229f + 0.224f + 0.225f) / 3f);
        assertThat(Checkpoint.readState(frozenRun.checkpointDir()).preprocessing())
                .isEqualTo(frozenStart.preprocessing());

        AtomicReference<RunStart> start = new AtomicReference<>();
        train(dir.resolve("dataset-statistics"), config().normalization(Normalization.DATASET).build(), start);
        assertThat(start.get().preprocessing().mean()).containsExactly(data.manifest().mean().get(0).floatValue());
    }

    @Test
    void withoutFrozenStatisticsTheFrozenBatchNormsFollowTheDataButKeepTheirScaleAndShift() {
        TrainingResult result = train(dir.resolve("frozen-weights-only"),
                config().freeze(FreezePoint.STAGE3).freezeBatchNorm(false).build(), null);

        Map<String, float[]> trained = checkpointValues(result.checkpointDir());
        assertThat(trained.get("layer2.0.conv1.weight")).isEqualTo(fileValues.get("layer2.0.conv1.weight"));
        assertThat(trained.get("layer2.0.bn1.weight")).isEqualTo(fileValues.get("layer2.0.bn1.weight"));
        assertThat(trained.get("layer2.0.bn1.bias")).isEqualTo(fileValues.get("layer2.0.bn1.bias"));
        assertThat(trained.get("layer2.0.bn1.running_mean")).isNotEqualTo(fileValues.get("layer2.0.bn1.running_mean"));
    }

    @Test
    void anEarlierRunsCheckpointKeepsItsHeadWhenTheClassesAreTheSame() {
        AtomicReference<RunStart> start = new AtomicReference<>();

        TrainingResult second = train(dir.resolve("continued"),
                config().init(frozenRun.checkpointDir().toString()).learningRate(0.01).build(), start);

        InitReport init = start.get().init();
        assertThat(init.format()).isEqualTo(RunInitialisation.CHECKPOINT_FORMAT);
        assertThat(init.headLoaded()).isTrue();
        assertThat(init.notes().get(0)).contains("from resnet18-small trained 1 epoch on");
        assertThat(second.history()).hasSize(1);
        assertThat(start.get().preprocessing().mean()).as("the checkpoint's normalisation, not the dataset's")
                .isEqualTo(frozenStart.preprocessing().mean());
    }

    @Test
    void aPlatformReferenceIsRecordedWithWhatItStoodForAndRefusedWhenTheBytesChanged() throws IOException {
        String sha256 = Sha256.ofFile(weightsFile);
        AtomicReference<RunStart> start = new AtomicReference<>();
        TrainingConfig config = config().init("weights:pretrained").build();

        train(dir.resolve("uploaded"), config, start,
                source -> new InitResolver.Resolved(weightsFile, "uploaded weights 'pretrained'", sha256));
        assertThat(start.get().init().source()).isEqualTo("weights:pretrained");
        assertThat(start.get().init().resolved()).isEqualTo("uploaded weights 'pretrained'");
        assertThat(start.get().init().toProperties()).containsEntry(InitReport.RESOLVED, "uploaded weights 'pretrained'")
                .containsEntry(InitReport.SHA256, sha256).containsEntry(InitReport.HEAD, "new");

        Path out = dir.resolve("changed");
        assertThatThrownBy(() -> train(out, config, null,
                source -> new InitResolver.Resolved(weightsFile, "uploaded weights 'pretrained'", "0".repeat(64))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("changed or replaced since");
        assertThat(Files.exists(out.resolve(TrainingRun.CHECKPOINT_DIR))).isFalse();
    }

    @Test
    void weightsOfAnotherArchitectureFailBeforeAnythingIsWritten() {
        Path out = dir.resolve("wrong-architecture");
        TrainingConfig config = config().model("resnet34-small").build();

        assertThatThrownBy(() -> train(out, config, null))
                .isInstanceOf(IncompatibleWeightsException.class)
                .hasMessageContaining("do not fit resnet34-small")
                .hasMessageContaining("missing layer1.2.conv1.weight");
        assertThat(Files.exists(out.resolve(TrainingRun.CHECKPOINT_DIR))).isFalse();
    }

    @Test
    void aJobOrModelReferenceNeedsThePlatform() {
        TrainingConfig config = config().init("resnetops-fashion-mnist@champion").build();

        assertThatThrownBy(() -> train(dir.resolve("reference"), config, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("which the platform's trainer resolves");
    }

    private static TrainingConfig.Builder config() {
        return TrainingConfig.builder().model(PRESET.name()).inputSize(16).epochs(1).batchSize(32).learningRate(0.05)
                .maxTrainSamples(64).maxTestSamples(32).workers(1).seed(3).augment(false)
                .init(weightsFile.toString()).headLearningRateMultiplier(2);
    }

    private static TrainingResult train(Path out, TrainingConfig config, AtomicReference<RunStart> start) {
        return train(out, config, start, null);
    }

    private static TrainingResult train(Path out, TrainingConfig config, AtomicReference<RunStart> start,
            InitResolver resolver) {
        return TrainingRun.builder().setConfig(config).setDataset(data).setOutputDir(out).optInitResolver(resolver)
                .addListener(new TrainingListener() {
                    @Override
                    public void onStart(RunStart runStart) {
                        if (start != null) {
                            start.set(runStart);
                        }
                    }
                })
                .build().run();
    }

    private static List<Entry> layout(int classes) {
        return TorchKeyLayout.entries(PRESET, 1, classes, TorchKeyLayout.ShortcutNaming.TORCHVISION);
    }

    /** The checkpoint's tensors by state-dict name (the network's order is the layout's). */
    private static Map<String, float[]> checkpointValues(Path checkpointDir) {
        Map<String, float[]> values = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet network = ResNet.of(PRESET, 10);
            network.initialize(manager, new Shape(1, 1, 16, 16));
            Checkpoint.loadModel(checkpointDir, network.block(), manager);
            List<Parameter> parameters = network.block().getParameters().values();
            List<Entry> entries = layout(10);
            for (int i = 0; i < entries.size(); i++) {
                values.put(entries.get(i).key(), parameters.get(i).getArray().toFloatArray());
            }
        }
        return values;
    }
}
