package dev.resnetops.vision.weights;

import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import dev.resnetops.vision.weights.TorchKeyLayout.Role;
import dev.resnetops.vision.weights.TorchKeyLayout.ShortcutNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a state dict against a zoo preset, tensor by tensor. Every tensor is accounted for: each
 * one the network needs is found with its exact shape, each one in the file is used or is a
 * BatchNorm counter, and anything else is a problem reported by name with both shapes. The only
 * differences allowed are the ones a fine-tuning user intends, each listed in the notes: a new
 * classifier head, and a first convolution adapted between 3-channel weights and 1-channel images
 * (summed over its input channels, the usual rule: a grey image is the same in R, G and B, so the
 * summed filter gives the response the RGB filter gave to it).
 */
public final class StateDictMapper {

    private static final String COUNTER_SUFFIX = "num_batches_tracked";
    /** torch.nn.DataParallel and DistributedDataParallel save their module under this prefix. */
    private static final String PARALLEL_PREFIX = "module.";
    private static final int MAX_LISTED_PROBLEMS = 25;

    private StateDictMapper() {}

    /**
     * @param replaceHead whether the network gets a new classifier (other classes, or classes the file
     *     cannot name): the file's classifier is then not loaded, whatever its shape, and the network
     *     keeps its own initialisation; otherwise the classifier must match like any other tensor
     * @throws IncompatibleWeightsException listing every problem
     */
    public static MappedWeights map(Map<String, StoredTensor> stateDict, ModelPreset preset, int channels, int classes,
            boolean replaceHead) {
        List<String> notes = new ArrayList<>();
        Map<String, StoredTensor> tensors = withoutParallelPrefix(stateDict, notes);
        ShortcutNaming naming = tensors.keySet().stream().anyMatch(k -> k.endsWith(".downsample.2.weight"))
                ? ShortcutNaming.TIMM_AVG_DOWN
                : ShortcutNaming.TORCHVISION;
        List<Entry> entries = TorchKeyLayout.entries(preset, channels, classes, naming);
        List<float[]> values = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        String firstConv = entries.get(0).key();
        if (naming == ShortcutNaming.TIMM_AVG_DOWN) {
            // timm names its shortcut downsample.1/.2 only when it average-pools: such weights were
            // trained behind a pool, and a strided 1x1 convolution would silently compute something else
            for (int stage = 2; stage <= 4; stage++) {
                if (!preset.avgPoolShortcutStages().contains(stage)) {
                    problems.add("layer" + stage + ".0.downsample: the file's shortcut average-pools first (timm's "
                            + "downsample.1/.2 names) but " + preset.name() + "'s Stage-" + stage + " shortcut is a "
                            + "strided convolution; pick a preset with the pooled shortcut (e.g. resnet50d)");
                }
            }
        }
        Map<TensorDtype, Integer> converted = new java.util.TreeMap<>();
        for (Entry entry : entries) {
            StoredTensor tensor = tensors.get(entry.key());
            if (tensor != null) {
                used.add(entry.key());
            }
            if (entry.role().isClassifier() && replaceHead) {
                values.add(null);
                notes.add(entry.key() + ": not loaded, a new classifier head " + StoredTensor.describe(entry.shape())
                        + " is initialised" + (tensor == null ? "" : " (the file's is " + StoredTensor.describe(tensor.shape())
                        + ")"));
                continue;
            }
            if (tensor == null) {
                problems.add("missing " + entry.key() + " " + StoredTensor.describe(entry.shape()));
                values.add(null);
            } else if (!tensor.dtype().isFloating()) {
                problems.add(entry.key() + " is " + tensor.dtype() + "; a weight must be a floating-point tensor");
                values.add(null);
            } else if (tensor.hasShape(entry.shape())) {
                values.add(tensor.values());
                if (tensor.dtype() != TensorDtype.F32) {
                    converted.merge(tensor.dtype(), 1, Integer::sum);
                }
            } else if (entry.key().equals(firstConv) && adaptable(tensor.shape(), entry.shape())) {
                values.add(adaptInputChannels(tensor, entry.shape()));
                notes.add(entry.key() + ": " + tensor.shape()[1] + "-channel weights adapted to " + entry.shape()[1]
                        + "-channel images (" + (entry.shape()[1] == 1 ? "summed over" : "averaged and repeated across")
                        + " the input channels)");
            } else {
                problems.add(entry.key() + ": expected " + StoredTensor.describe(entry.shape()) + ", found "
                        + StoredTensor.describe(tensor.shape()) + headHint(entry, tensor));
                values.add(null);
            }
        }
        int counters = 0;
        for (StoredTensor tensor : tensors.values()) {
            if (used.contains(tensor.name())) {
                continue;
            }
            if (tensor.name().endsWith(COUNTER_SUFFIX)) {
                counters++;
            } else {
                problems.add("unexpected " + tensor.name() + " " + StoredTensor.describe(tensor.shape())
                        + " (not part of " + preset.name() + ")");
            }
        }
        if (!problems.isEmpty()) {
            List<String> listed = problems.size() > MAX_LISTED_PROBLEMS
                    ? new ArrayList<>(problems.subList(0, MAX_LISTED_PROBLEMS))
                    : new ArrayList<>(problems);
            if (listed.size() < problems.size()) {
                listed.add("... and " + (problems.size() - listed.size()) + " more");
            }
            throw new IncompatibleWeightsException("the weights (" + tensors.size() + " tensors, " + naming.label()
                    + " key names) do not fit " + preset.name() + " with " + channels + " input channels and "
                    + classes + " classes (" + entries.size() + " tensors); " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + " (is it another architecture? `mlops models` lists the "
                    + "presets)", listed);
        }
        converted.forEach((dtype, count) -> notes.add(count + " " + dtype + " tensor" + (count == 1 ? "" : "s")
                + " converted to float32 (the engine trains in float32)"));
        if (counters > 0) {
            notes.add(counters + " BatchNorm num_batches_tracked counters not loaded (our BatchNorm uses a fixed "
                    + "momentum, as PyTorch does by default, so they have no effect)");
        }
        return new MappedWeights(entries, values, naming, notes);
    }

    private static Map<String, StoredTensor> withoutParallelPrefix(Map<String, StoredTensor> tensors, List<String> notes) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(PARALLEL_PREFIX))) {
            return tensors;
        }
        notes.add("every key starts with '" + PARALLEL_PREFIX + "' (saved from DataParallel); the prefix is dropped");
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        tensors.forEach((key, t) -> {
            String name = key.substring(PARALLEL_PREFIX.length());
            out.put(name, new StoredTensor(name, t.dtype(), t.shape(), t.values()));
        });
        return out;
    }

    private static String headHint(Entry entry, StoredTensor tensor) {
        if (entry.role() != Role.FC_WEIGHT && entry.role() != Role.FC_BIAS) {
            return "";
        }
        return " (the file's classifier has " + tensor.shape()[0] + " classes, the job " + entry.shape()[0]
                + ": start with a new head to fine-tune on other classes)";
    }

    private static boolean adaptable(long[] found, long[] expected) {
        return found.length == 4 && expected.length == 4 && found[0] == expected[0] && found[2] == expected[2]
                && found[3] == expected[3] && (found[1] == 3 && expected[1] == 1 || found[1] == 1 && expected[1] == 3);
    }

    /** [out, 3, k, k] summed to [out, 1, k, k], or [out, 1, k, k] repeated as a third in each of 3. */
    static float[] adaptInputChannels(StoredTensor tensor, long[] expected) {
        long[] found = tensor.shape();
        int out = (int) found[0];
        int kernel = (int) (found[2] * found[3]);
        int inFound = (int) found[1];
        int inExpected = (int) expected[1];
        float[] source = tensor.values();
        float[] adapted = new float[out * inExpected * kernel];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < kernel; k++) {
                if (inExpected == 1) {
                    double sum = 0;
                    for (int c = 0; c < inFound; c++) {
                        sum += source[(o * inFound + c) * kernel + k];
                    }
                    adapted[o * kernel + k] = (float) sum;
                } else {
                    for (int c = 0; c < inExpected; c++) {
                        adapted[(o * inExpected + c) * kernel + k] = source[o * kernel + k] / inExpected;
                    }
                }
            }
        }
        return adapted;
    }
}
