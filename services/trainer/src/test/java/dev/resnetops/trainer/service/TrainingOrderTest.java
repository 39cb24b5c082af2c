package dev.resnetops.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A StartTraining decoded once into what the claim, the MLflow run and the training read. */
class TrainingOrderTest {

    private static final TrainingConfig CONFIG = TrainingConfig.builder().model("resnet18-small").inputSize(16)
            .epochs(3).batchSize(8).build();

    @Test
    void decodesTheConfigurationAndTheShardPath() {
        UUID job = UUID.randomUUID();
        UUID version = UUID.randomUUID();
        StartTraining command = StartTraining.of(job, version, "/data/shards/abc", TrainingConfigCodec.toTree(CONFIG),
                "experiment-1");

        TrainingOrder order = TrainingOrder.of(command);

        assertThat(order.jobId()).isEqualTo(job);
        assertThat(order.datasetVersionId()).isEqualTo(version);
        assertThat(order.shards()).isEqualTo(Path.of("/data/shards/abc"));
        assertThat(order.config()).isEqualTo(CONFIG);
        assertThat(order.config().epochs()).isEqualTo(3);
        assertThat(order.experiment()).isEqualTo("experiment-1");
    }

    @Test
    void aConfigurationThatBreaksTheRulesIsRefusedWithTheProblem() {
        ObjectNode config = (ObjectNode) TrainingConfigCodec.toTree(CONFIG);
        config.put("epochs", 0);
        StartTraining command = StartTraining.of(UUID.randomUUID(), UUID.randomUUID(), "/data/shards/abc", config, "x");

        assertThatThrownBy(() -> TrainingOrder.of(command)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("epochs");
    }
}
