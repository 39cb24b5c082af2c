package dev.resnetops.vision.network;

import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TensorDtype;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of src/test/python/make_pretrained_fixtures.py's {@code formula}, made the same way:
 * an integer hash of the element index salted with the tensor name's {@code hashCode}, then one
 * double multiplication rounded to float32, which numpy and Java do bit for bit. So the logits
 * PyTorch computed for these weights can be checked without committing 100 MB of them.
 */
public final class FormulaWeights {

    private FormulaWeights() {}

    public static Map<String, StoredTensor> stateDict(List<Entry> entries) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Entry entry : entries) {
            tensors.put(entry.key(), tensor(entry.key(), entry.shape()));
        }
        return tensors;
    }

    public static StoredTensor tensor(String name, long... shape) {
        int count = (int) StoredTensor.numel(shape);
        long salt = name.hashCode() & 0xFFFFFFFFL;
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            long mixed = ((i + 1L) * 2654435761L + salt * 40503L) & 0xFFFFFFFFL;
            double x = (mixed >>> 8) / 16777216.0 - 0.5;
            values[i] = (float) value(name, shape, x);
        }
        return new StoredTensor(name, TensorDtype.F32, shape, values);
    }

    /** The same decisions, in the same order, with the same arithmetic as the Python formula. */
    private static double value(String name, long[] shape, double x) {
        if (name.equals("input")) {
            return x * Math.sqrt(12.0);
        }
        if (name.endsWith("running_var")) {
            return 1.0 + 0.8 * x;
        }
        if (name.endsWith("running_mean") || name.endsWith(".bias")) {
            return 0.2 * x;
        }
        if (shape.length == 4) {
            return x * Math.sqrt(24.0 / (shape[1] * shape[2] * shape[3]));
        }
        if (shape.length == 2) {
            return x * Math.sqrt(12.0 / shape[1]);
        }
        if (name.endsWith("bn3.weight")) {
            return 0.25 + 0.2 * x;
        }
        return 1.0 + 0.2 * x;
    }
}
