package dev.resnetops.vision.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.resnetops.vision.config.InitSource;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.ChannelStatistics;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.network.ResNet;
import dev.resnetops.vision.network.StateDictLoader;
import dev.resnetops.vision.weights.InitReport;
import dev.resnetops.vision.weights.MappedWeights;
import dev.resnetops.vision.weights.StateDictMapper;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import dev.resnetops.vision.weights.WeightsFile;
import dev.resnetops.vision.weights.WeightsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a new run's starting weights into its freshly initialised network, from what {@code init}
 * names: a weights file (safetensors, torch.save) through the torchvision/timm key mapping, or an
 * earlier run's checkpoint. Either way the weights go through {@link StateDictMapper} and {@link
 * StateDictLoader}, so every tensor is checked and every difference is listed.
 *
 * <p>The classifier: a weights file names no classes, so the run always gets a new head; an earlier
 * run's checkpoint keeps its head when its classes are the dataset's, by name and in order, and gets
 * a new one otherwise.
 */
final class RunInitialisation {

    static final String CHECKPOINT_FORMAT = "resnetops-checkpoint";

    private RunInitialisation() {}

    /**
     * @param resolver turns {@code job:<id>}, {@code <model>@<ref>} and {@code weights:<name>} into a
     *     local path (the trainer service); null outside the platform
     */
    static InitReport apply(TrainingConfig config, ResNet network, ModelPreset preset, int channels,
            List<String> classes, InitResolver resolver, NDManager manager) {
        InitSource source = config.initSource();
        if (source instanceof InitSource.Scratch) {
            return InitReport.random();
        }
        InitResolver.Resolved resolved = source instanceof InitSource.LocalPath local
                ? new InitResolver.Resolved(Path.of(local.path()), "", "")
                : resolve(resolver, source, config.init());
        Path path = resolved.path();
        InitReport report = Files.isDirectory(path)
                ? fromCheckpoint(config.init(), path, network, preset, channels, classes, manager)
                : fromWeightsFile(config.init(), path, network, preset, channels, classes);
        if (!resolved.sha256().isEmpty() && !resolved.sha256().equals(report.sha256())) {
            throw new IllegalArgumentException("init " + config.init() + " (" + resolved.description() + "): " + path
                    + " has SHA-256 " + report.sha256() + ", but the platform recorded " + resolved.sha256()
                    + "; the file was changed or replaced since, and is not used");
        }
        return report.withResolved(resolved.description());
    }

    private static InitResolver.Resolved resolve(InitResolver resolver, InitSource source, String init) {
        if (resolver == null) {
            throw new IllegalArgumentException("init '" + init + "' names a job, a registered model or an uploaded "
                    + "file, which the platform's trainer resolves; outside it, give the path of a weights file or of "
                    + "a checkpoint folder");
        }
        return resolver.resolve(source);
    }

    /** A torchvision/timm file: always a new head, and ImageNet's statistics, which such weights were trained with. */
    private static InitReport fromWeightsFile(String init, Path path, ResNet network, ModelPreset preset, int channels,
            List<String> classes) {
        WeightsFile file = WeightsReader.read(path);
        MappedWeights mapped = StateDictMapper.map(file.tensors(), preset, channels, classes.size(), true);
        StateDictLoader.load(network.block(), mapped);
        List<String> notes = new ArrayList<>(file.notes());
        notes.add(0, "the classifier is new: a weights file names no classes");
        notes.addAll(mapped.notes());
        return new InitReport(init, "", file.format().label(), file.sha256(), mapped.naming().label(), false, notes,
                ChannelStatistics.imagenet(channels));
    }

    /** An earlier run's checkpoint (its folder, or the run folder holding checkpoint/). */
    private static InitReport fromCheckpoint(String init, Path folder, ResNet network, ModelPreset preset, int channels,
            List<String> classes, NDManager manager) {
        Path dir = Checkpoint.locate(folder)
                .or(() -> Checkpoint.locate(folder.resolve(TrainingRun.CHECKPOINT_DIR)))
                .orElseThrow(() -> new IllegalArgumentException("init " + folder + " is a folder but holds no "
                        + "checkpoint (" + Checkpoint.STATE_FILE + " and " + Checkpoint.MODEL_FILE + ")"));
        CheckpointState state = Checkpoint.readState(dir);
        if (!state.preset().equals(preset.name())) {
            throw new IllegalArgumentException("init checkpoint " + dir + " is a " + state.preset() + ", but the job "
                    + "trains a " + preset.name() + "; use the same model preset");
        }
        if (state.preprocessing().channels() != channels) {
            throw new IllegalArgumentException("init checkpoint " + dir + " was trained on " + state.preprocessing()
                    .channels() + "-channel images, the dataset has " + channels);
        }
        boolean sameClasses = state.classes().equals(classes);
        List<float[]> values = new ArrayList<>();
        try (NDManager scratch = manager.newSubManager()) {
            ResNet source = ResNet.of(preset, state.numClasses());
            source.initialize(scratch, new Shape(1, channels, 32, 32));
            Checkpoint.loadModel(dir, source.block(), scratch);
            for (Parameter parameter : source.block().getParameters().values()) {
                values.add(parameter.getArray().toFloatArray());
            }
        }
        List<Entry> entries = TorchKeyLayout.entries(preset, channels, classes.size(),
                TorchKeyLayout.ShortcutNaming.TORCHVISION);
        List<String> notes = new ArrayList<>();
        if (!sameClasses) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).role().isClassifier()) {
                    values.set(i, null);
                }
            }
            notes.add("the classifier is new: the checkpoint's classes " + state.classes() + " are not the dataset's "
                    + classes);
        }
        StateDictLoader.load(network.block(), new MappedWeights(entries, values, TorchKeyLayout.ShortcutNaming.TORCHVISION,
                notes));
        String sha256;
        try {
            sha256 = Sha256.ofFile(dir.resolve(Checkpoint.MODEL_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        notes.add(0, "from " + state.preset() + " trained " + state.epochsCompleted()
                + (state.epochsCompleted() == 1 ? " epoch" : " epochs") + " on "
                + state.datasetName() + " (" + state.datasetHash() + ")");
        ChannelStatistics statistics = new ChannelStatistics(state.preprocessing().mean(), state.preprocessing().std(),
                "the checkpoint's (dataset " + state.datasetName() + ")");
        return new InitReport(init, "", CHECKPOINT_FORMAT, sha256, "resnetops", sameClasses, notes, statistics);
    }
}
