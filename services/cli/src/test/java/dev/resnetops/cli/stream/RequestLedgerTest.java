package dev.resnetops.cli.stream;

import static dev.resnetops.cli.stream.AccuracyTallyTest.top;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.ServedModel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestLedgerTest {

    private static final long MS = 1_000_000L;

    static Prediction prediction(String requestId, int version, String... labels) {
        return new Prediction(Prediction.SCHEMA_VERSION, requestId,
                new ServedModel("resnetops-fashion-mnist", "champion", version, "abc", "resnet50-paper-small"),
                top(labels), 3.0, 8, 1.0, Instant.EPOCH);
    }

    @Test
    void matchesAnswersToTheImagesSentByRequestId() {
        RequestLedger ledger = new RequestLedger();
        ledger.sent("a", "a.png", "Bag", 0);
        ledger.sent("b", "b.png", "Coat", 10 * MS);
        ledger.sent("c", "broken.png", null, 20 * MS);
        assertThat(ledger.outstanding()).isEqualTo(3);

        assertThat(ledger.predicted("b", prediction("b", 3, "Coat"), 60 * MS)).isEqualTo(RequestLedger.Arrival.FIRST_ANSWER);
        assertThat(ledger.predicted("a", prediction("a", 3, "Coat", "Bag"), 100 * MS))
                .isEqualTo(RequestLedger.Arrival.FIRST_ANSWER);
        assertThat(ledger.allAnswered()).isFalse();
        assertThat(ledger.deadLettered("c", "undecodable: not a PNG", 120 * MS))
                .isEqualTo(RequestLedger.Arrival.FIRST_ANSWER);
        assertThat(ledger.allAnswered()).isTrue();

        StreamSummary s = ledger.summary();
        assertThat(s.sent()).isEqualTo(3);
        assertThat(s.predicted()).isEqualTo(2);
        assertThat(s.deadLettered()).isEqualTo(1);
        assertThat(s.deadLetterReasons()).containsExactly(java.util.Map.entry("undecodable: not a PNG", 1));
        assertThat(s.missing()).isEmpty();
        assertThat(s.complete()).isTrue();
        assertThat(s.labelled()).isEqualTo(2);
        assertThat(s.top1()).isEqualTo(0.5);
        assertThat(s.top5()).isEqualTo(1.0);
        assertThat(s.latencyMillis().count()).isEqualTo(2);
        assertThat(s.latencyMillis().p50()).isEqualTo(50.0);
        assertThat(s.latencyMillis().max()).isEqualTo(100.0);
        assertThat(s.seconds()).isEqualTo(0.12);
        assertThat(s.imagesPerSecond()).isEqualTo(25.0);
    }

    @Test
    void countsASecondAnswerAsDuplicateAndKeepsTheFirst() {
        RequestLedger ledger = new RequestLedger();
        ledger.sent("a", "a.png", "Bag", 0);
        ledger.predicted("a", prediction("a", 3, "Bag"), 10 * MS);
        assertThat(ledger.predicted("a", prediction("a", 3, "Coat"), 20 * MS)).isEqualTo(RequestLedger.Arrival.DUPLICATE);
        assertThat(ledger.deadLettered("a", "late", 30 * MS)).isEqualTo(RequestLedger.Arrival.DUPLICATE);

        StreamSummary s = ledger.summary();
        assertThat(s.duplicates()).isEqualTo(2);
        assertThat(s.predicted()).isEqualTo(1);
        assertThat(s.deadLettered()).isZero();
        assertThat(s.top1()).isEqualTo(1.0);
        assertThat(s.latencyMillis().max()).isEqualTo(10.0);
    }

    @Test
    void ignoresAnswersToOtherClientsRequests() {
        RequestLedger ledger = new RequestLedger();
        ledger.sent("mine", "a.png", null, 0);
        assertThat(ledger.predicted("theirs", prediction("theirs", 3, "Bag"), MS)).isEqualTo(RequestLedger.Arrival.FOREIGN);
        assertThat(ledger.deadLettered(null, "missing request id", MS)).isEqualTo(RequestLedger.Arrival.FOREIGN);

        StreamSummary s = ledger.summary();
        assertThat(s.foreign()).isEqualTo(2);
        assertThat(s.answered()).isZero();
        assertThat(s.missing()).containsExactly("a.png");
        assertThat(s.complete()).isFalse();
        assertThat(s.seconds()).isNull();
        assertThat(s.imagesPerSecond()).isNull();
        assertThat(s.latencyMillis().p50()).isNull();
    }

    @Test
    void groupsDeadLettersByReasonMostFrequentFirst() {
        RequestLedger ledger = new RequestLedger();
        for (int i = 0; i < 4; i++) {
            ledger.sent("r" + i, "f" + i, null, 0);
        }
        ledger.deadLettered("r0", "too-large", MS);
        ledger.deadLettered("r1", "undecodable", MS);
        ledger.deadLettered("r2", "undecodable", MS);
        ledger.deadLettered("r3", " ", MS);
        assertThat(ledger.summary().deadLetterReasons().keySet())
                .containsExactly("undecodable", "(no reason given)", "too-large");
    }

    @Test
    void showsEachModelVersionThatAnswered() {
        RequestLedger ledger = new RequestLedger();
        for (int i = 0; i < 3; i++) {
            ledger.sent("r" + i, "f" + i, null, 0);
        }
        ledger.predicted("r0", prediction("r0", 3, "Bag"), MS);
        ledger.predicted("r1", prediction("r1", 4, "Bag"), MS);
        ledger.predicted("r2", prediction("r2", 4, "Bag"), MS);
        assertThat(ledger.summary().perModelVersion()).containsExactly(
                java.util.Map.entry("resnetops-fashion-mnist v3 (resnet50-paper-small)", 1),
                java.util.Map.entry("resnetops-fashion-mnist v4 (resnet50-paper-small)", 2));
    }

    @Test
    void refusesToSendTheSameRequestIdTwice() {
        RequestLedger ledger = new RequestLedger();
        ledger.sent("a", "a.png", null, 0);
        assertThatThrownBy(() -> ledger.sent("a", "b.png", null, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
