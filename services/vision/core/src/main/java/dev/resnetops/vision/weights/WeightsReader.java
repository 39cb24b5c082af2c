package dev.resnetops.vision.weights;

import dev.resnetops.vision.data.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a weights file users already have, whatever its format: safetensors (timm, model hubs),
 * a {@code torch.save}d state dict (torchvision's {@code .pth}, zip or legacy), told apart by their
 * first bytes rather than their names. No Python and no pickle execution is involved.
 */
public final class WeightsReader {

    private WeightsReader() {}

    /** @throws WeightsFileException naming the file and the problem; nothing is partially returned */
    public static WeightsFile read(Path path) {
        String source = "weights file " + path;
        long size;
        String sha256;
        try {
            size = Files.size(path);
            sha256 = Sha256.ofFile(path);
        } catch (NoSuchFileException e) {
            throw new WeightsFileException(source + " does not exist");
        } catch (IOException e) {
            throw new WeightsFileException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (size > Integer.MAX_VALUE) {
            throw new WeightsFileException(source + " is " + size + " bytes; files over 2 GiB are not read");
        }
        List<String> notes = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            WeightsFormat format = detect(file, source);
            Map<String, StoredTensor> tensors = switch (format) {
                case SAFETENSORS -> SafetensorsReader.read(file, source, notes);
                case PYTORCH_ZIP -> PyTorchCheckpointReader.readZip(path, source, notes);
                case PYTORCH_LEGACY -> PyTorchCheckpointReader.readLegacy(file, source, notes);
            };
            if (tensors.isEmpty()) {
                throw new WeightsFileException(source + " holds no tensors");
            }
            return new WeightsFile(path, format, sha256, tensors, notes);
        } catch (IOException e) {
            throw new WeightsFileException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    static WeightsFormat detect(ByteBuffer file, String source) {
        if (file.limit() >= 4 && file.getInt(0) == 0x04034b50) { // "PK\3\4"
            return WeightsFormat.PYTORCH_ZIP;
        }
        if (file.limit() >= 3 && (file.get(0) & 0xFF) == 0x80 && (file.get(2) & 0xFF) == 0x8a) {
            return WeightsFormat.PYTORCH_LEGACY; // PROTO, then LONG1: the legacy format's magic number
        }
        if (file.limit() >= 9 && file.get(8) == '{') {
            return WeightsFormat.SAFETENSORS;
        }
        throw new WeightsFileException(source + " is neither a safetensors file nor a PyTorch checkpoint (.pth "
                + "from torch.save); its first bytes match neither format");
    }
}
