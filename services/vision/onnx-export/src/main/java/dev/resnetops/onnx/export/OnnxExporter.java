package dev.resnetops.onnx.export;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.onnx.runtime.OnnxSession;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.model.ResNetStages;
import dev.resnetops.vision.model.Stem;
import dev.resnetops.vision.train.TrainedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a model-zoo ResNet as an ONNX model: input {@code input} [N, C, H, W] float32, output
 * {@code logits} [N, classes], opset 13, weights as initializers, {@link ModelMetadata} as
 * {@code metadata_props}.
 *
 * <p>The graph is generated from the preset's architecture (depth, stem, pooled-shortcut stages),
 * the same recipe {@code ResNet} builds its DJL block from, while a {@link ParameterCursor} walks
 * the block's parameters and checks that each is the one the spec expects. A preset, block or
 * parameter the exporter does not know ends in an {@link UnsupportedModelException}, never in a
 * graph that loads and computes something else.
 *
 * <p>BatchNormalization stays a node rather than being folded into the convolutions: the file then
 * holds exactly the checkpoint's tensors (auditable, and the parity gate compares like with like),
 * and ONNX Runtime folds Conv+BN itself when it optimises the session, so inference speed is the same.
 */
public final class OnnxExporter {

    public static final int OPSET = 13;
    /** IR version 7 is the one that introduced opset 13; older runtimes can still read it. */
    public static final long IR_VERSION = 7;
    /** The tensor names are the runtime's, so a served model and its exporter cannot disagree. */
    public static final String INPUT = OnnxSession.INPUT;
    public static final String OUTPUT = OnnxSession.OUTPUT;

    private static final float BN_EPSILON = 1e-5f;

    private OnnxExporter() {}

    /** The checkpoint's model with its metadata; {@code runId} null means the run folder's name. */
    public static ModelProto export(TrainedModel model, String runId) {
        var state = model.state();
        String id = runId != null ? runId : defaultRunId(model.checkpointDir());
        ModelMetadata metadata = new ModelMetadata(state.preset(), id, state.classes(), state.preprocessing(),
                state.datasetName(), state.datasetHash(), state.init());
        return export(model.block(), metadata);
    }

    /** An initialised block of preset {@code metadata.preset()} with {@code metadata.classes().size()} outputs. */
    public static ModelProto export(Block block, ModelMetadata metadata) {
        ModelPreset preset;
        try {
            preset = ModelZoo.preset(metadata.preset());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException("cannot export: " + e.getMessage());
        }
        if (!block.isInitialized()) {
            throw new UnsupportedModelException("cannot export preset " + preset.name()
                    + ": the block has no parameters yet (initialise or load it first)");
        }
        int channels = metadata.preprocessing().channels();
        int classes = metadata.classes().size();
        OnnxGraph graph = new OnnxGraph(preset.name());
        int size = metadata.preprocessing().inputSize();
        graph.input(INPUT, channels, size, size);
        graph.output(OUTPUT, classes);
        ParameterCursor cursor = new ParameterCursor(block, preset.name());
        writeNetwork(graph, cursor, preset, channels, classes);
        cursor.expectEnd();

        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("resnetops")
                .setModelVersion(1)
                .setDocString(preset.description())
                .setGraph(graph.build());
        metadata.toProperties().forEach((k, v) ->
                model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    /**
     * Writes atomically: a temporary file in the target's folder renamed over the target, so a
     * reader never sees a half-written model.
     */
    public static void write(ModelProto model, Path target) {
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(absolute.getParent());
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                model.writeTo(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a leftover hidden .tmp file is never read as a model
            }
        }
    }

    /** The run folder ({@code <run>/checkpoint}) names the run; a bare checkpoint folder names itself. */
    static String defaultRunId(Path checkpointDir) {
        Path dir = checkpointDir.toAbsolutePath().normalize();
        Path name = dir.getFileName();
        if (name != null && name.toString().startsWith("checkpoint") && dir.getParent() != null
                && dir.getParent().getFileName() != null) {
            return dir.getParent().getFileName().toString();
        }
        return name == null ? dir.toString() : name.toString();
    }

    private static void writeNetwork(OnnxGraph graph, ParameterCursor cursor, ModelPreset preset, int channels,
            int classes) {
        int[] blocks;
        try {
            blocks = ResNetStages.blocksPerStage(preset.depth());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException("preset " + preset.name() + ": " + e.getMessage());
        }
        int expansion = ResNetStages.expansion(preset.depth());
        boolean bottleneck = expansion > 1;

        String x = switch (preset.stem()) {
            case IMAGENET -> graph.maxPool(
                    convBnRelu(graph, cursor, "stem", INPUT, Stem.OUTPUT_CHANNELS, channels, 7, 2), 3, 2, 1);
            case SMALL -> convBnRelu(graph, cursor, "stem", INPUT, Stem.OUTPUT_CHANNELS, channels, 3, 1);
            case DEEP -> {
                String first = convBnRelu(graph, cursor, "stem conv 1", INPUT, Stem.DEEP_STEM_WIDTH, channels, 3, 2);
                String second = convBnRelu(graph, cursor, "stem conv 2", first, Stem.DEEP_STEM_WIDTH,
                        Stem.DEEP_STEM_WIDTH, 3, 1);
                yield graph.maxPool(convBnRelu(graph, cursor, "stem conv 3", second, Stem.OUTPUT_CHANNELS,
                        Stem.DEEP_STEM_WIDTH, 3, 1), 3, 2, 1);
            }
        };

        int in = Stem.OUTPUT_CHANNELS;
        for (int stage = 1; stage <= 4; stage++) {
            int width = ResNetStages.stageWidth(stage);
            int out = width * expansion;
            int stageStride = stage == 1 ? 1 : 2;
            for (int i = 0; i < blocks[stage - 1]; i++) {
                String where = "stage " + stage + " block " + (i + 1);
                int stride = i == 0 ? stageStride : 1;
                boolean project = i == 0 && (stageStride != 1 || in != out);
                String mainPath;
                if (bottleneck) {
                    mainPath = convBnRelu(graph, cursor, where + " conv1", x, width, in, 1, 1);
                    mainPath = convBnRelu(graph, cursor, where + " conv2", mainPath, width, width, 3, stride);
                    mainPath = convBn(graph, cursor, where + " conv3", mainPath, out, width, 1, 1);
                } else {
                    mainPath = convBnRelu(graph, cursor, where + " conv1", x, width, in, 3, stride);
                    mainPath = convBn(graph, cursor, where + " conv2", mainPath, width, width, 3, 1);
                }
                String shortcut = x;
                if (project) {
                    if (preset.avgPoolShortcutStages().contains(stage) && stride > 1) {
                        String pooled = graph.ceilAvgPool(x, stride, stride);
                        shortcut = convBn(graph, cursor, where + " shortcut", pooled, out, in, 1, 1);
                    } else {
                        shortcut = convBn(graph, cursor, where + " shortcut", x, out, in, 1, stride);
                    }
                }
                x = graph.relu(graph.add(mainPath, shortcut));
                in = out;
            }
        }
        x = graph.flatten(graph.globalAvgPool(x));
        Pair<String, Parameter> weight = cursor.next("classifier", Parameter.Type.WEIGHT, classes, in);
        Pair<String, Parameter> bias = cursor.next("classifier", Parameter.Type.BIAS, classes);
        graph.linear(x, weight, bias, OUTPUT);
    }

    private static String convBnRelu(OnnxGraph graph, ParameterCursor cursor, String where, String input,
            int filters, int inChannels, int kernel, int stride) {
        return graph.relu(convBn(graph, cursor, where, input, filters, inChannels, kernel, stride));
    }

    private static String convBn(OnnxGraph graph, ParameterCursor cursor, String where, String input,
            int filters, int inChannels, int kernel, int stride) {
        Pair<String, Parameter> weight =
                cursor.convolution(where + " convolution", filters, inChannels, kernel, stride);
        String conv = graph.conv(input, weight, stride);
        String bn = where + " batch norm";
        return graph.batchNorm(conv,
                cursor.next(bn, Parameter.Type.GAMMA, filters),
                cursor.next(bn, Parameter.Type.BETA, filters),
                cursor.next(bn, Parameter.Type.RUNNING_MEAN, filters),
                cursor.next(bn, Parameter.Type.RUNNING_VAR, filters),
                BN_EPSILON);
    }
}
