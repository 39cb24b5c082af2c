package dev.resnetops.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.tracking.Run;
import dev.resnetops.vision.config.FreezePoint;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.train.Checkpoint;
import dev.resnetops.vision.weights.SafetensorsWriter;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TensorDtype;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Jobs that start from trained weights, on the real worker, database and MLflow server: an earlier job's
 * checkpoint ({@code job:<id>}) and an uploaded torchvision-named file ({@code weights:<name>}) train to
 * COMPLETED with their provenance on the MLflow run; a corrupt, hostile, changed or mismatched file and a
 * registered model that does not exist each end the job FAILED with the reason, and leave what is stored
 * as it was.
 */
@QuarkusTest
class FineTuneJobsTest {

    private static final Path FIXTURES = Path.of("../vision/core/src/test/resources/pretrained").toAbsolutePath();
    private static TrainingFixtures.Dataset dataset;

    @Inject
    AgroalDataSource db;

    private TrainingFixtures.Dataset dataset() throws Exception {
        if (dataset == null) {
            dataset = TrainingFixtures.tinyDataset(db, Path.of("target/test-data").toAbsolutePath());
        }
        return dataset;
    }

    @Test
    void continuesFromAnEarlierJobAndFromAnUploadedFileWithTheirProvenanceInMlflow() throws Exception {
        UUID first = TrainingFixtures.submit(db, dataset(), TrainingFixtures.quickConfig(1).build(), "finetune-base");
        assertThat(TrainingFixtures.awaitState(db, first, Duration.ofMinutes(3), "COMPLETED", "FAILED").state())
                .isEqualTo("COMPLETED");
        Path params = checkpoint(first).resolve(Checkpoint.MODEL_FILE);
        String before = Sha256.ofFile(params);

        UUID continued = TrainingFixtures.submit(db, dataset(),
                TrainingFixtures.quickConfig(1).init("job:" + first).build(), "finetune-continue");
        TrainingFixtures.JobRow row = TrainingFixtures.awaitState(db, continued, Duration.ofMinutes(3), "COMPLETED",
                "FAILED");
        assertThat(row.state()).as(row.reason()).isEqualTo("COMPLETED");
        Map<String, String> tags = TrainingFixtures.awaitFinishedRun(TrainingFixtures.awaitRun(db, continued)).tags();
        assertThat(tags).containsEntry("resnetops.init.source", "job:" + first)
                .containsEntry("resnetops.init.resolved", "the final checkpoint of job " + first)
                .containsEntry("resnetops.init.format", "resnetops-checkpoint")
                .containsEntry("resnetops.init.sha256", before)
                .containsEntry("resnetops.init.head", "loaded"); // same classes, by name
        assertThat(Sha256.ofFile(params)).as("the earlier job's checkpoint is only read").isEqualTo(before);

        Path file = torchvisionFile("uploaded-" + UUID.randomUUID() + ".safetensors");
        String name = upload(file);
        UUID fromFile = TrainingFixtures.submit(db, dataset(), TrainingFixtures.quickConfig(1).init("weights:" + name)
                .freeze(FreezePoint.STAGE3).build(), "finetune-file");
        row = TrainingFixtures.awaitState(db, fromFile, Duration.ofMinutes(3), "COMPLETED", "FAILED");
        assertThat(row.state()).as(row.reason()).isEqualTo("COMPLETED");
        Run run = TrainingFixtures.awaitFinishedRun(TrainingFixtures.awaitRun(db, fromFile));
        assertThat(run.tags()).containsEntry("resnetops.init.format", "safetensors")
                .containsEntry("resnetops.init.key_convention", "torchvision")
                .containsEntry("resnetops.init.sha256", Sha256.ofFile(file))
                .containsEntry("resnetops.init.head", "new")
                // Grey images, ImageNet weights: their statistics averaged over RGB.
                .containsEntry("resnetops.normalization.mean", "[0.449]");
        assertThat(run.tags().get("resnetops.init.resolved")).startsWith("uploaded weights '" + name + "'");
        assertThat(run.tags().get("resnetops.init.notes")).contains("summed").contains("classifier is new");
        assertThat(run.params()).containsEntry("init", "weights:" + name).containsEntry("freeze", "stage3");
    }

    @Test
    void aJobWhoseWeightsCannotBeUsedFailsWithTheReasonAndChangesNothingStored() throws Exception {
        Path truncated = target("truncated-" + UUID.randomUUID() + ".safetensors");
        byte[] whole = Files.readAllBytes(torchvisionFile("whole-" + UUID.randomUUID() + ".safetensors"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path evil = target("evil-" + UUID.randomUUID() + ".pth");
        Files.copy(FIXTURES.resolve("evil-system.pth"), evil);
        Path otherArchitecture = target("resnet50-" + UUID.randomUUID() + ".safetensors");
        write(otherArchitecture, TorchKeyLayout.entries(ModelZoo.preset("resnet50"), 3, 1000,
                TorchKeyLayout.ShortcutNaming.TORCHVISION));
        Path changed = torchvisionFile("changed-" + UUID.randomUUID() + ".safetensors");
        String changedName = upload(changed);
        Files.write(changed, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);

        Map<String, String> expected = Map.of(
                "weights:" + upload(truncated), "truncated",
                "weights:" + upload(evil), "posix.system",
                "weights:" + upload(otherArchitecture), "do not fit resnet18-small",
                "weights:" + changedName, "changed or replaced",
                "resnetops-no-such-dataset@champion", "no registered model 'resnetops-no-such-dataset'",
                "job:" + UUID.randomUUID(), "no such job");
        List<String> hashes = new ArrayList<>();
        for (Path file : List.of(truncated, evil, otherArchitecture, changed)) {
            hashes.add(Sha256.ofFile(file));
        }
        for (Map.Entry<String, String> init : expected.entrySet()) {
            TrainingConfig config = TrainingFixtures.quickConfig(1).init(init.getKey()).build();
            UUID job = TrainingFixtures.submit(db, dataset(), config, "finetune-refused");
            TrainingFixtures.JobRow row = TrainingFixtures.awaitState(db, job, Duration.ofMinutes(2), "FAILED",
                    "COMPLETED");
            assertThat(row.state()).as(init.getKey()).isEqualTo("FAILED");
            assertThat(row.reason()).as(init.getKey()).contains(init.getValue());
            assertThat(row.epochs()).as("no epoch of %s was recorded", init.getKey()).isZero();
        }
        List<String> after = new ArrayList<>();
        for (Path file : List.of(truncated, evil, otherArchitecture, changed)) {
            after.add(Sha256.ofFile(file));
        }
        assertThat(after).as("the weights files are only read").isEqualTo(hashes);
    }

    /** A torchvision-named resnet18-small file for 3-channel images and 1000 classes, random but valid values. */
    private static Path torchvisionFile(String fileName) throws Exception {
        Path file = target(fileName);
        write(file, TorchKeyLayout.entries(ModelZoo.preset("resnet18-small"), 3, 1000,
                TorchKeyLayout.ShortcutNaming.TORCHVISION));
        return file;
    }

    private static void write(Path file, List<Entry> entries) throws Exception {
        Random random = new Random(11);
        List<StoredTensor> tensors = new ArrayList<>();
        for (Entry entry : entries) {
            float[] values = new float[(int) StoredTensor.numel(entry.shape())];
            for (int i = 0; i < values.length; i++) {
                // Running variances must be positive; everything else small, as trained weights are.
                values[i] = entry.role() == TorchKeyLayout.Role.BN_RUNNING_VAR ? 0.5f + random.nextFloat()
                        : (random.nextFloat() - 0.5f) * 0.1f;
            }
            tensors.add(new StoredTensor(entry.key(), TensorDtype.F32, entry.shape(), values));
        }
        SafetensorsWriter.write(tensors, Map.of(), file);
    }

    private static Path target(String fileName) throws Exception {
        return Files.createDirectories(Path.of("target/test-data/weights").toAbsolutePath()).resolve(fileName);
    }

    /** The row the orchestrator's upload writes; the file is recorded as it is, whatever it holds. */
    private String upload(Path file) throws Exception {
        String name = "w-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO weight_files (name, sha256, format, size_bytes,"
                     + " tensors, parameters, location, notes) VALUES (?, ?, 'safetensors', ?, 0, 0, ?, '[]'::jsonb)")) {
            insert.setString(1, name);
            insert.setString(2, Sha256.ofFile(file));
            insert.setLong(3, Files.size(file));
            insert.setString(4, file.toString());
            insert.executeUpdate();
        }
        return name;
    }

    private Path checkpoint(UUID job) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT checkpoint_location FROM jobs WHERE id = ?")) {
            q.setObject(1, job);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return Path.of(rs.getString(1));
            }
        }
    }
}
