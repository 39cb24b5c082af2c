package dev.resnetops.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.testsupport.TestKafka;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.RunInfo;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.vision.data.DatasetImporter;
import dev.resnetops.vision.data.DatasetManifest;
import dev.resnetops.vision.data.ImportOptions;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.train.TrainingResult;
import dev.resnetops.vision.train.TrainingRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the evaluator finds when a job completes, made for real: a tiny imported dataset (horizontal vs
 * vertical stripes, 16 px), a model trained on it for two epochs with the vision library, and the
 * dataset, version and COMPLETED job rows with an MLflow run, as the orchestrator and trainer leave them.
 */
final class EvaluationFixtures {

    static final List<String> CLASSES = List.of("horizontal", "vertical");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationFixtures() {
    }

    record Dataset(UUID datasetId, String name, UUID versionId, Path shards) {
    }

    /** A trained checkpoint folder to copy into each job's folder. */
    record Trained(Path checkpoint, TrainingConfig config, int epochs) {
    }

    /** 2 classes, 12 train and 6 test images each, imported and registered READY under a unique name. */
    static Dataset stripesDataset(DataSource db, Path root) throws Exception {
        Path source = root.resolve("source-" + UUID.randomUUID());
        Random random = new Random(11);
        for (String split : List.of("train", "test")) {
            for (String cls : CLASSES) {
                Path dir = Files.createDirectories(source.resolve(split).resolve(cls));
                int n = split.equals("train") ? 12 : 6;
                for (int i = 0; i < n; i++) {
                    ImageIO.write(stripes(cls.equals("horizontal"), random), "png", dir.resolve(cls + i + ".png").toFile());
                }
            }
        }
        String name = "Eval Stripes " + UUID.randomUUID().toString().substring(0, 8);
        Path shards = root.resolve("shards-" + UUID.randomUUID());
        DatasetManifest m = DatasetImporter.importDataset(source, shards, ImportOptions.defaults().withName(name));
        UUID version = UUID.randomUUID();
        UUID dataset = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement v = c.prepareStatement("INSERT INTO dataset_versions (id, content_hash, source_format,"
                    + " classes, counts, class_counts, channels, height, width, mean, std, shard_location) VALUES"
                    + " (?, ?, 'imagefolder', ?::jsonb, ?::jsonb, '{}'::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
                v.setObject(1, version);
                v.setString(2, m.contentHash() + "-" + version); // the hash is unique in the table; runs repeat
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
                    + " VALUES (?, ?, ?, 'READY', ?)")) {
                d.setObject(1, dataset);
                d.setString(2, name);
                d.setString(3, source.toString());
                d.setObject(4, version);
                d.executeUpdate();
            }
        }
        return new Dataset(dataset, name, version, shards);
    }

    private static BufferedImage stripes(boolean horizontal, Random random) {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        int phase = random.nextInt(4);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int along = horizontal ? y : x;
                int v = ((along + phase) / 2) % 2 == 0 ? 40 : 210;
                img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, v + random.nextInt(30) - 15)));
            }
        }
        return img;
    }

    /** Two epochs of resnet18 with the small stem at 16 px: a few seconds on a CPU. */
    static Trained train(Dataset dataset, Path root) {
        TrainingConfig config = TrainingConfig.builder().model("resnet18-small").inputSize(16).epochs(2).batchSize(4)
                .learningRate(0.05).warmupEpochs(0).workers(1).augment(false).build();
        TrainingResult result = TrainingRun.builder().setConfig(config).setDataset(ShardedDataset.open(dataset.shards()))
                .setOutputDir(root.resolve("trained-" + UUID.randomUUID())).build().run();
        return new Trained(result.checkpointDir(), config, result.epochsCompleted());
    }

    /** A job folder {@code <jobs>/<job id>/checkpoint} holding a copy of the trained checkpoint. */
    static Path jobFolderWithCheckpoint(Path jobsDir, UUID job, Trained trained) throws IOException {
        Path checkpoint = Files.createDirectories(jobsDir.resolve(job.toString())).resolve(TrainingRun.CHECKPOINT_DIR);
        Files.createDirectories(checkpoint);
        try (Stream<Path> files = Files.list(trained.checkpoint())) {
            for (Path file : files.toList()) {
                Files.copy(file, checkpoint.resolve(file.getFileName()));
            }
        }
        return checkpoint;
    }

    /** An MLflow run for the job, as the trainer's tracking relay creates it. */
    static String mlflowRun(MlflowClient mlflow, UUID job) {
        String experimentId = mlflow.experimentIdFor("evaluator-test");
        RunInfo run = mlflow.createRun(experimentId, "resnet18-small-" + job.toString().substring(0, 8), Instant.now(),
                Map.of("resnetops.job_id", job.toString()));
        return run.runId();
    }

    /** The job row as a worker leaves it after the last epoch: COMPLETED, with its checkpoint and run. */
    static void completedJob(DataSource db, UUID job, Dataset dataset, TrainingConfig config, String checkpoint,
                             String runId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id, dataset_version_id, model,"
                     + " config, experiment, state, mlflow_run_id, checkpoint_location, attempt, finished_at)"
                     + " VALUES (?, ?, ?, ?, ?::jsonb, 'evaluator-test', 'COMPLETED', ?, ?, 1, now())")) {
            insert.setObject(1, job);
            insert.setObject(2, dataset.datasetId());
            insert.setObject(3, dataset.versionId());
            insert.setString(4, config.model());
            insert.setString(5, TrainingConfigCodec.toJson(config));
            insert.setString(6, runId);
            insert.setString(7, checkpoint);
            insert.executeUpdate();
        }
    }

    static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Publishes to partition 0, so messages published one after another are consumed in that order. */
    static void publish(Message message) {
        publishRaw(message.topic(), message.key(), MessageCodec.toJson(message));
    }

    static void publishRaw(String topic, String key, String value) {
        Properties p = TestKafka.admin(bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, 0, key, value));
            producer.flush();
        }
    }
}
