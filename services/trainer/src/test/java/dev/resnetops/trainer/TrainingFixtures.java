package dev.resnetops.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.testsupport.TestKafka;
import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.Run;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.vision.data.DatasetImporter;
import dev.resnetops.vision.data.DatasetManifest;
import dev.resnetops.vision.data.ImportOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A real (tiny) dataset imported with the vision library, and jobs on it as the orchestrator would
 * create them: a QUEUED row and a StartTraining command on the real broker.
 */
final class TrainingFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingFixtures() {
    }

    record Dataset(UUID datasetId, UUID versionId, Path shards) {
    }

    /** 2 classes (dark and light noise), 24 train and 8 test images of 16 px, imported and registered READY. */
    static Dataset tinyDataset(DataSource db, Path root) throws Exception {
        Path source = root.resolve("source-" + UUID.randomUUID());
        Random random = new Random(7);
        for (String split : List.of("train", "test")) {
            for (String cls : List.of("dark", "light")) {
                Path dir = Files.createDirectories(source.resolve(split).resolve(cls));
                int n = split.equals("train") ? 12 : 4;
                for (int i = 0; i < n; i++) {
                    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
                    int base = cls.equals("dark") ? 40 : 200;
                    for (int y = 0; y < 16; y++) {
                        for (int x = 0; x < 16; x++) {
                            int v = Math.max(0, Math.min(255, base + random.nextInt(50) - 25));
                            img.getRaster().setSample(x, y, 0, v);
                        }
                    }
                    ImageIO.write(img, "png", dir.resolve(cls + i + ".png").toFile());
                }
            }
        }
        Path shards = root.resolve("shards-" + UUID.randomUUID());
        DatasetManifest m = DatasetImporter.importDataset(source, shards, ImportOptions.defaults().withName("tiny"));
        UUID version = UUID.randomUUID();
        UUID dataset = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement v = c.prepareStatement("INSERT INTO dataset_versions (id, content_hash, source_format,"
                    + " classes, counts, class_counts, channels, height, width, mean, std, shard_location) VALUES"
                    + " (?, ?, 'imagefolder', ?::jsonb, ?::jsonb, '{}'::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
                v.setObject(1, version);
                v.setString(2, m.contentHash() + "-" + version); // unique per test run
                v.setString(3, JSON.writeValueAsString(m.classes()));
                v.setString(4, JSON.writeValueAsString(m.counts()));
                v.setInt(5, m.channels());
                v.setInt(6, m.height());
                v.setInt(7, m.width());
                v.setString(8, JSON.writeValueAsString(m.mean()));
                v.setString(9, JSON.writeValueAsString(m.std()));
                v.setString(10, shards.toString());
                v.executeUpdate();
            }
            try (PreparedStatement d = c.prepareStatement("INSERT INTO datasets (id, name, source, status, version_id)"
                    + " VALUES (?, 'tiny', ?, 'READY', ?)")) {
                d.setObject(1, dataset);
                d.setString(2, source.toString());
                d.setObject(3, version);
                d.executeUpdate();
            }
        }
        return new Dataset(dataset, version, shards);
    }

    /** A small, fast configuration: resnet18 with the small stem at 16 px. */
    static TrainingConfig.Builder quickConfig(int epochs) {
        return TrainingConfig.builder().model("resnet18-small").inputSize(16).epochs(epochs).batchSize(8)
                .learningRate(0.05).warmupEpochs(0).workers(1).augment(false);
    }

    /** The job row and its command, as the orchestrator writes them; returns the job id. */
    static UUID submit(DataSource db, Dataset dataset, TrainingConfig config, String experiment) throws Exception {
        UUID job = UUID.randomUUID();
        String configJson = TrainingConfigCodec.toJson(config);
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id, dataset_version_id, model,"
                     + " config, experiment, state) VALUES (?, ?, ?, ?, ?::jsonb, ?, 'QUEUED')")) {
            insert.setObject(1, job);
            insert.setObject(2, dataset.datasetId());
            insert.setObject(3, dataset.versionId());
            insert.setString(4, config.model());
            insert.setString(5, configJson);
            insert.setString(6, experiment);
            insert.executeUpdate();
        }
        publish(StartTraining.of(job, dataset.versionId(), dataset.shards().toString(),
                TrainingConfigCodec.toTree(config), experiment));
        return job;
    }

    /**
     * A job row and its command carrying {@code config} as it is, unchecked: what a command sent by hand, or
     * by an orchestrator with other configuration rules, looks like. Returns the job id.
     */
    static UUID submitUnchecked(DataSource db, Dataset dataset, ObjectNode config, String experiment) throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id, dataset_version_id, model,"
                     + " config, experiment, state) VALUES (?, ?, ?, ?, ?::jsonb, ?, 'QUEUED')")) {
            insert.setObject(1, job);
            insert.setObject(2, dataset.datasetId());
            insert.setObject(3, dataset.versionId());
            insert.setString(4, config.path("model").asText());
            insert.setString(5, config.toString());
            insert.setString(6, experiment);
            insert.executeUpdate();
        }
        publish(StartTraining.of(job, dataset.versionId(), dataset.shards().toString(), config, experiment));
        return job;
    }

    static void publish(Message message) {
        Properties p = TestKafka.admin(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(message.topic(), message.key(), MessageCodec.toJson(message)));
            producer.flush();
        }
    }

    /** The job's state, reason and epochs recorded. */
    record JobRow(String state, String reason, int epochs, String mlflowRunId, int attempt) {
    }

    static JobRow job(DataSource db, UUID id) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT state, state_reason, (SELECT count(*) FROM"
                     + " job_epoch_metrics WHERE job_id = j.id), mlflow_run_id, attempt FROM jobs j WHERE id = ?")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new JobRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5));
            }
        }
    }

    static JobRow awaitState(DataSource db, UUID id, java.time.Duration timeout, String... states) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobRow row = job(db, id);
        while (System.nanoTime() < deadline) {
            row = job(db, id);
            if (List.of(states).contains(row.state())) {
                return row;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " is " + row + " after " + timeout.toSeconds() + " s, expected one of "
                + List.of(states));
    }

    static MlflowClient mlflow() {
        return MlflowClient.builder()
                .setServer(URI.create(ConfigProvider.getConfig().getValue("mlops.trainer.mlflow-url", String.class)))
                .optAccount(MlflowAccount.requiredFromEnvironment()).build();
    }

    /** The job's MLflow run id, once the tracking relay has created the run. */
    static String awaitRun(DataSource db, UUID job) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String run = job(db, job).mlflowRunId();
            if (run != null) {
                return run;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no MLflow run recorded for job " + job);
    }

    /** The run once MLflow has it FINISHED (or as it is after a minute). */
    static Run awaitFinishedRun(String runId) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        Run run = mlflow().getRun(runId);
        while (System.nanoTime() < deadline && !"FINISHED".equals(run.info().status().name())) {
            Thread.sleep(500);
            run = mlflow().getRun(runId);
        }
        return run;
    }
}
