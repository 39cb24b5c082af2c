package dev.resnetops.vision.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training checkpoint directory: {@code state.json}, {@code model.params} (DJL parameter format,
 * running statistics included) and {@code optimizer.ndlist} (momentum buffers).
 *
 * <p>Writes are atomic: the new checkpoint is written beside the old one and swapped in by renames,
 * so a crash at any moment leaves either the previous or the new checkpoint readable, never a mix.
 */
public final class Checkpoint {

    public static final String STATE_FILE = "state.json";
    public static final String MODEL_FILE = "model.params";
    public static final String OPTIMIZER_FILE = "optimizer.ndlist";
    private static final String PREVIOUS_SUFFIX = ".previous";

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Checkpoint() {}

    /** Writes {@code dir} atomically, replacing what was there. */
    public static void save(Path dir, CheckpointState state, Block model, NDList optimizerState) {
        Path temp = dir.resolveSibling(dir.getFileName() + ".tmp-" + System.nanoTime());
        Path previous = dir.resolveSibling(dir.getFileName() + PREVIOUS_SUFFIX);
        try {
            Files.createDirectories(temp);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(temp.resolve(MODEL_FILE))))) {
                model.saveParameters(out);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp.resolve(OPTIMIZER_FILE)))) {
                optimizerState.encode(out);
            }
            JSON.writeValue(temp.resolve(STATE_FILE).toFile(), state);
            deleteRecursively(previous);
            if (Files.exists(dir)) {
                Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(previous);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The readable checkpoint at {@code dir}, falling back to the one a crash mid-swap left as
     * {@code dir.previous}; empty when there is none.
     */
    public static Optional<Path> locate(Path dir) {
        if (Files.isRegularFile(dir.resolve(STATE_FILE))) {
            return Optional.of(dir);
        }
        Path previous = dir.resolveSibling(dir.getFileName() + PREVIOUS_SUFFIX);
        return Files.isRegularFile(previous.resolve(STATE_FILE)) ? Optional.of(previous) : Optional.empty();
    }

    public static CheckpointState readState(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        try {
            CheckpointState state = JSON.readValue(file.toFile(), CheckpointState.class);
            if (state.formatVersion() != CheckpointState.FORMAT_VERSION) {
                throw new IllegalArgumentException("checkpoint " + dir + " has format version " + state.formatVersion()
                        + "; this build reads version " + CheckpointState.FORMAT_VERSION);
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads parameters into an initialised block of the same architecture. */
    public static void loadModel(Path dir, Block model, NDManager manager) {
        Path file = dir.resolve(MODEL_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            model.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("cannot load model parameters from " + file
                    + " (does the checkpoint match the model preset?): " + e.getMessage(), e);
        }
    }

    public static NDList loadOptimizer(Path dir, NDManager manager) {
        Path file = dir.resolve(OPTIMIZER_FILE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return NDList.decode(manager, in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read optimizer state " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // best effort: a leftover .tmp directory is never read
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
