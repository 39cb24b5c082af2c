package dev.resnetops.vision.weights;

import dev.resnetops.vision.weights.RestrictedUnpickler.StorageRef;
import dev.resnetops.vision.weights.RestrictedUnpickler.TensorView;
import dev.resnetops.vision.weights.RestrictedUnpickler.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a {@code torch.save}d state dict: the zip format of PyTorch 1.6 and later ({@code
 * archive/data.pkl} plus one {@code archive/data/<key>} entry per storage) and the legacy format
 * before it (pickles and raw storages back to back). The pickle goes through {@link
 * RestrictedUnpickler}; tensors are strided views of storages and are copied out in row-major
 * order, every index checked against its storage.
 */
final class PyTorchCheckpointReader {

    /** The legacy format's first pickle holds this number (torch/serialization.py MAGIC_NUMBER). */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    /** Entries a training checkpoint commonly keeps its state dict under, in the order tried. */
    private static final List<String> NESTED_STATE_DICTS = List.of("state_dict", "model", "model_state_dict");

    private PyTorchCheckpointReader() {}

    static Map<String, StoredTensor> readZip(Path path, String source, List<String> notes) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String prefix = archivePrefix(zip, source);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String byteOrder = new String(read(zip, order), StandardCharsets.US_ASCII).trim();
                if (!byteOrder.equals("little")) {
                    throw new WeightsFileException(source + " was saved on a " + byteOrder
                            + "-endian machine; only little-endian checkpoints are read");
                }
            }
            ZipEntry pickle = zip.getEntry(prefix + "data.pkl");
            if (pickle == null) {
                throw new WeightsFileException(source + " is a zip file but not a PyTorch checkpoint: it has no "
                        + prefix + "data.pkl");
            }
            Object root = new RestrictedUnpickler(ByteBuffer.wrap(read(zip, pickle)), source, PyTorchCheckpointReader::storage)
                    .load();
            Map<String, TensorView> views = stateDict(root, source, notes);
            Map<String, ByteBuffer> storages = new HashMap<>();
            for (TensorView view : views.values()) {
                String key = view.storage().key();
                if (!storages.containsKey(key)) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                    if (entry == null) {
                        throw new WeightsFileException(source + " has no storage " + prefix + "data/" + key
                                + " although its pickle refers to it (truncated or damaged file?)");
                    }
                    storages.put(key, ByteBuffer.wrap(read(zip, entry)));
                }
            }
            return materialise(views, ref -> storages.get(ref.key()), source);
        } catch (ZipException e) {
            throw new WeightsFileException(source + " is not a readable zip file (truncated or damaged?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new WeightsFileException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    static Map<String, StoredTensor> readLegacy(ByteBuffer file, String source, List<String> notes) {
        ByteBuffer in = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Object magic = new RestrictedUnpickler(in, source, PyTorchCheckpointReader::noStorage).load();
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new WeightsFileException(source + " is neither a safetensors file nor a PyTorch checkpoint");
        }
        new RestrictedUnpickler(in, source, PyTorchCheckpointReader::noStorage).load(); // protocol version
        Object sysInfo = new RestrictedUnpickler(in, source, PyTorchCheckpointReader::noStorage).load();
        if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new WeightsFileException(source + " was saved on a big-endian machine; only little-endian "
                    + "checkpoints are read");
        }
        Object root = new RestrictedUnpickler(in, source, PyTorchCheckpointReader::storage).load();
        Map<String, TensorView> views = stateDict(root, source, notes);
        Object keys = new RestrictedUnpickler(in, source, PyTorchCheckpointReader::noStorage).load();
        if (!(keys instanceof List<?> keyList)) {
            throw new WeightsFileException(source + ": the legacy checkpoint's storage list is missing");
        }
        Map<String, StorageRef> refs = new HashMap<>();
        views.values().forEach(v -> refs.put(v.storage().key(), v.storage()));
        Map<String, ByteBuffer> storages = new HashMap<>();
        for (Object key : keyList) {
            StorageRef ref = refs.get(String.valueOf(key));
            if (in.remaining() < 8) {
                throw new WeightsFileException(source + " ends before storage " + key + " (truncated file?)");
            }
            if (ref == null) {
                throw new WeightsFileException(source + ": storage " + key + " is listed but no tensor of the state "
                        + "dict uses it; cannot tell its element size");
            }
            long numel = in.getLong();
            long bytes = numel * ref.dtype().bytes();
            if (numel < 0 || numel > in.remaining() || bytes > in.remaining()) {
                throw new WeightsFileException(source + ": storage " + key + " declares " + numel + " elements but only "
                        + in.remaining() + " bytes remain (truncated file?)");
            }
            storages.put(ref.key(), in.slice(in.position(), (int) bytes));
            in.position(in.position() + (int) bytes);
        }
        return materialise(views, ref -> {
            ByteBuffer data = storages.get(ref.key());
            if (data == null) {
                throw new WeightsFileException(source + ": storage " + ref.key() + " is missing (truncated file?)");
            }
            return data;
        }, source);
    }

    /** Torch's persistent id {@code ('storage', torch.XStorage, key, location, numel[, view])}. */
    private static Object storage(Tuple pid) {
        List<Object> id = pid.items();
        if (id.size() < 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof RestrictedUnpickler.Global type)
                || !(id.get(4) instanceof Long numel)) {
            throw new WeightsFileException("the checkpoint refers to a persistent object " + id
                    + " that is not a torch storage");
        }
        TensorDtype dtype = TensorDtype.fromTorchStorage(type.name()).orElseThrow();
        return new StorageRef(String.valueOf(id.get(2)), dtype, numel);
    }

    private static Object noStorage(Tuple pid) {
        throw new WeightsFileException("the checkpoint's header refers to a storage " + pid.items());
    }

    private static Map<String, TensorView> stateDict(Object root, String source, List<String> notes) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new WeightsFileException(source + " holds " + RestrictedUnpickler.describe(root)
                    + ", not a state dict (a dict of tensor names to tensors)");
        }
        if (!top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TensorView)) {
            return tensors(top, source);
        }
        for (String key : NESTED_STATE_DICTS) {
            if (top.get(key) instanceof Map<?, ?> nested && !nested.isEmpty()
                    && nested.values().stream().allMatch(v -> v instanceof TensorView)) {
                notes.add("the weights are the '" + key + "' entry of a training checkpoint (other entries: "
                        + top.keySet().stream().filter(k -> !key.equals(k)).toList() + ")");
                return tensors(nested, source);
            }
        }
        List<String> found = new ArrayList<>();
        top.forEach((k, v) -> found.add(k + ": " + RestrictedUnpickler.describe(v)));
        throw new WeightsFileException(source + " is not a state dict of tensors, and has no "
                + String.join("/", NESTED_STATE_DICTS) + " entry that is one; it holds "
                + (found.size() > 8 ? found.subList(0, 8) + " ..." : found));
    }

    private static Map<String, TensorView> tensors(Map<?, ?> dict, String source) {
        Map<String, TensorView> out = new LinkedHashMap<>();
        dict.forEach((key, value) -> {
            if (!(key instanceof String name)) {
                throw new WeightsFileException(source + ": a state-dict key is " + RestrictedUnpickler.describe(key)
                        + ", not a tensor name");
            }
            out.put(name, (TensorView) value);
        });
        return out;
    }

    private static Map<String, StoredTensor> materialise(Map<String, TensorView> views,
            Function<StorageRef, ByteBuffer> storages, String source) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        views.forEach((name, view) -> tensors.put(name, copy(name, view, storages.apply(view.storage()), source)));
        return tensors;
    }

    /** The view's elements in row-major order, each index checked against the storage. */
    private static StoredTensor copy(String name, TensorView view, ByteBuffer storage, String source) {
        TensorDtype dtype = view.storage().dtype();
        ByteBuffer data = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] size = view.size();
        long[] stride = view.stride();
        long numel = StoredTensor.numel(size);
        long available = Math.min(view.storage().numel(), data.limit() / dtype.bytes());
        if (size.length != stride.length || numel < 0 || numel > Integer.MAX_VALUE) {
            throw new WeightsFileException(source + ": tensor '" + name + "' has size " + StoredTensor.describe(size)
                    + " and stride " + StoredTensor.describe(stride) + ", which do not describe a tensor");
        }
        long last = view.offset();
        for (int d = 0; d < size.length && numel > 0; d++) {
            if (stride[d] < 0) {
                throw new WeightsFileException(source + ": tensor '" + name + "' has a negative stride");
            }
            last += (size[d] - 1) * stride[d];
        }
        if (view.offset() < 0 || numel > 0 && last >= available) {
            throw new WeightsFileException(source + ": tensor '" + name + "' of size " + StoredTensor.describe(size)
                    + " reaches element " + last + " of a storage with " + available + " (truncated or damaged file?)");
        }
        float[] values = new float[(int) numel];
        long[] index = new long[size.length];
        for (int i = 0; i < values.length; i++) {
            long element = view.offset();
            for (int d = 0; d < size.length; d++) {
                element += index[d] * stride[d];
            }
            values[i] = dtype.read(data, (int) (element * dtype.bytes()));
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return new StoredTensor(name, dtype, size, values);
    }

    /** The folder every entry of a torch zip sits in (the file's stem when torch.save wrote it). */
    private static String archivePrefix(ZipFile zip, String source) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        if (!entries.hasMoreElements()) {
            throw new WeightsFileException(source + " is an empty zip file");
        }
        String first = entries.nextElement().getName();
        int slash = first.indexOf('/');
        if (slash < 0) {
            throw new WeightsFileException(source + " is a zip file but not a PyTorch checkpoint: entry '" + first
                    + "' is not inside an archive folder");
        }
        return first.substring(0, slash + 1);
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
