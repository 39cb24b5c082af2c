package dev.resnetops.orchestrator.service;

import dev.resnetops.contracts.api.WeightsView;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.store.weights.StoredWeights;
import dev.resnetops.store.weights.WeightFiles;
import dev.resnetops.vision.config.InitSource;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TensorDtype;
import dev.resnetops.vision.weights.WeightsFile;
import dev.resnetops.vision.weights.WeightsFileException;
import dev.resnetops.vision.weights.WeightsFormat;
import dev.resnetops.vision.weights.WeightsReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Uploaded weights files: a cluster user's torchvision/timm download, kept on the platform's shared storage
 * so that a job can start from it as {@code init: weights:<name>} without a path shared with the trainers.
 *
 * <p>An upload is written to a temporary file first and read completely by the same restricted reader a
 * trainer uses ({@link WeightsReader}): a truncated file, a pickle that builds anything but tensors, or
 * something that is not a weights file at all is refused with the reader's reason and leaves nothing
 * behind. A name is bound to one file for good; uploading the same bytes under the same name again
 * changes nothing.
 */
@ApplicationScoped
public class WeightsService {

    private static final Logger LOG = Logger.getLogger(WeightsService.class);

    private final WeightFiles files;
    private final OrchestratorConfig config;

    WeightsService(WeightFiles files, OrchestratorConfig config) {
        this.files = files;
        this.config = config;
    }

    /** The outcome of an upload: the file, and whether this upload created it (false: the same bytes were there). */
    public record Uploaded(WeightsView weights, boolean created) {
    }

    public Uploaded upload(String name, InputStream body) {
        if (name == null || !InitSource.UPLOAD_NAME.matcher(name).matches()) {
            throw RequestRefused.invalid("name", "1-100 characters: letters, digits, '.', '_', '-', starting with a"
                    + " letter or digit");
        }
        Path folder = folder();
        Path incoming = folder.resolve(".incoming-" + UUID.randomUUID());
        try {
            long size = receive(body, incoming);
            WeightsFile read;
            try {
                read = WeightsReader.read(incoming);
            } catch (WeightsFileException e) {
                throw RequestRefused.invalid("body", "not a usable weights file: " + e.getMessage()
                        .replace(incoming.toString(), "the upload"));
            }
            StoredWeights existing = files.find(name).orElse(null);
            if (existing != null) {
                return sameOrConflict(existing, read.sha256());
            }
            Path target = folder.resolve(read.sha256() + extension(read));
            Files.move(incoming, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            StoredWeights stored = new StoredWeights(name, read.sha256(), read.format().label(), size,
                    read.tensors().size(), read.parameterCount(), target.toString(), notes(read), Instant.now());
            if (!files.insert(stored)) {
                // Another upload took the name between our look and our insert.
                return sameOrConflict(files.find(name).orElseThrow(), read.sha256());
            }
            LOG.infof("weights '%s' uploaded: %s, %d tensors, %d bytes, sha256 %s", name, stored.format(),
                    stored.tensors(), size, stored.sha256());
            return new Uploaded(view(files.find(name).orElseThrow()), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the upload of weights '" + name + "' in " + folder + ": "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(incoming);
        }
    }

    public WeightsView get(String name) {
        return files.find(name).map(WeightsService::view)
                .orElseThrow(() -> RequestRefused.notFound("no weights file '" + name + "' was uploaded"));
    }

    public List<WeightsView> list() {
        return files.list().stream().map(WeightsService::view).toList();
    }

    private Uploaded sameOrConflict(StoredWeights existing, String sha256) {
        if (existing.sha256().equals(sha256)) {
            return new Uploaded(view(existing), false);
        }
        throw RequestRefused.conflict("weights '" + existing.name() + "' were uploaded before as another file (sha256 "
                + existing.sha256() + ", this one is " + sha256 + "); a name keeps its file, so jobs that used it stay"
                + " reproducible: upload under a new name");
    }

    /** Streams the body to {@code target}, refusing it once it passes the size limit. */
    private long receive(InputStream body, Path target) throws IOException {
        long limit = config.weights().maxBytes();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = body; OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
                if (size > limit) {
                    throw RequestRefused.invalid("body", "the file is larger than the limit of " + limit
                            + " bytes (mlops.weights.max-bytes)");
                }
                out.write(buffer, 0, n);
            }
        }
        if (size == 0) {
            throw RequestRefused.invalid("body", "empty: send the weights file's bytes as the request body"
                    + " (Content-Type: application/octet-stream)");
        }
        return size;
    }

    private Path folder() {
        Path folder = Path.of(config.weights().folder()).toAbsolutePath();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw RequestRefused.unavailable("the weights folder " + folder + " cannot be created: " + e.getMessage());
        }
        return folder;
    }

    /** The reader's notes, and which tensors a job will convert: the engine trains in float32. */
    private static List<String> notes(WeightsFile file) {
        Map<TensorDtype, Long> dtypes = new TreeMap<>(file.tensors().values().stream()
                .collect(Collectors.groupingBy(StoredTensor::dtype, Collectors.counting())));
        List<String> notes = new ArrayList<>(file.notes());
        dtypes.forEach((dtype, count) -> {
            if (dtype != TensorDtype.F32 && dtype.isFloating()) {
                notes.add(count + " " + dtype + (count == 1 ? " tensor" : " tensors")
                        + ", converted to float32 when a job loads them (the engine trains in float32)");
            }
        });
        return notes;
    }

    private static String extension(WeightsFile file) {
        return file.format() == WeightsFormat.SAFETENSORS ? ".safetensors" : ".pth";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", file, e.getMessage());
        }
    }

    private static WeightsView view(StoredWeights w) {
        return new WeightsView(w.name(), "weights:" + w.name(), w.sha256(), w.format(), w.sizeBytes(), w.tensors(),
                w.parameters(), w.notes(), w.createdAt());
    }
}
