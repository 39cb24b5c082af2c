package dev.resnetops.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.CancelTraining;
import dev.resnetops.contracts.messages.EpochCompleted;
import dev.resnetops.contracts.messages.DatasetReady;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.contracts.messages.TrainingProgress;
import dev.resnetops.contracts.messages.TrainingStarted;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void everyMessageRoundTripsThroughJson() {
        List<Message> messages = List.of(
                IngestDataset.of(UUID.randomUUID(), "fashion", "/data/fashion"),
                DatasetReady.of(UUID.randomUUID(), UUID.randomUUID(), "ab12", "/data/v/ab12", List.of("a", "b"),
                        Map.of("train", 10, "test", 2), 1),
                StartTraining.of(UUID.randomUUID(), UUID.randomUUID(), "/data/v/ab12",
                        JsonNodeFactory.instance.objectNode().put("model", "resnet50"), "fashion"),
                CancelTraining.of(UUID.randomUUID(), "user request"),
                TrainingStarted.of(UUID.randomUUID(), 2, "worker-1", "cpu", 3, 10),
                TrainingProgress.of(UUID.randomUUID(), 4, 10, 17, 24, 1.25, 0.05, 14.5, 320.0),
                EpochCompleted.of(UUID.randomUUID(), 4, 1.1, 0.04, 0.62, 0.97, 1.0, 15.2, 101.5),
                TrainingFinished.completed(UUID.randomUUID(), "/data/jobs/x/checkpoint", 10, 0.9, 0.99, "run-1"),
                TrainingFinished.ended(UUID.randomUUID(), JobState.FAILED, "out of memory", 3, null),
                ModelAliasMoved.of("resnetops-fashion", "candidate", 3, UUID.randomUUID(), "/data/m.onnx", "ab"));
        for (Message m : messages) {
            String json = MessageCodec.toJson(m);
            assertThat(json).contains("\"type\":\"" + m.getClass().getSimpleName() + "\"", "\"schemaVersion\":1");
            assertThat(MessageCodec.fromJson(json)).isEqualTo(m);
        }
    }

    @Test
    void keyIsTheIdOfTheThingTheMessageIsAbout() {
        UUID job = UUID.randomUUID();
        CancelTraining cancel = CancelTraining.of(job, "why");
        assertThat(cancel.key()).isEqualTo(job.toString());
        assertThat(cancel.topic()).isEqualTo(Topics.TRAINING_CONTROL);
    }

    @Test
    void aFinishedEventNeedsACheckpointWhenCompletedAndAReasonOtherwise() {
        assertThatThrownBy(() -> TrainingFinished.ended(UUID.randomUUID(), JobState.FAILED, " ", 1, null))
                .hasMessageContaining("reason is missing");
        assertThatThrownBy(() -> TrainingFinished.ended(UUID.randomUUID(), JobState.RUNNING, "x", 1, null))
                .hasMessageContaining("must be COMPLETED, FAILED or CANCELLED");
    }

    @Test
    void namesTheMissingField() {
        String json = "{\"type\":\"IngestDataset\",\"schemaVersion\":1,\"messageId\":\"" + UUID.randomUUID()
                + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"name\":\"x\",\"source\":\"/x\"}";
        assertThatThrownBy(() -> MessageCodec.fromJson(json))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("IngestDataset").hasMessageContaining("datasetId is missing");
    }

    @Test
    void refusesAnUnknownTypeAndListsTheKnownOnes() {
        assertThatThrownBy(() -> MessageCodec.fromJson("{\"type\":\"Bogus\",\"schemaVersion\":1}"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("unknown message type 'Bogus'").hasMessageContaining("StartTraining");
    }

    @Test
    void refusesANewerSchemaVersion() {
        String json = MessageCodec.toJson(CancelTraining.of(UUID.randomUUID(), "x")).replace("\"schemaVersion\":1",
                "\"schemaVersion\":7");
        assertThatThrownBy(() -> MessageCodec.fromJson(json))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("schemaVersion 7 is not supported");
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThatThrownBy(() -> MessageCodec.fromJson("\u00ff\u00d8 jpeg bytes"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> MessageCodec.fromJson("[1,2]"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> MessageCodec.fromJson((byte[]) null))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("empty");
    }

    @Test
    void typedReadRefusesAnotherType() {
        String json = MessageCodec.toJson(CancelTraining.of(UUID.randomUUID(), "x"));
        assertThatThrownBy(() -> MessageCodec.fromJson(json, StartTraining.class))
                .hasMessageContaining("expected a StartTraining message, got CancelTraining");
    }
}
