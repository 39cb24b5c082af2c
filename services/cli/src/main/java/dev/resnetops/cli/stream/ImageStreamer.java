package dev.resnetops.cli.stream;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.stream.ImageHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends images to {@link Topics#IMAGES} and collects their answers: one fresh request id (a UUID) per
 * image, also used as the record key, and the send time recorded against it. The answer reader is
 * positioned at the end of both answer topics before the first image goes out, so no answer can be
 * missed and none from an earlier run is counted.
 *
 * <p>The producer is idempotent with {@code acks=all}: a retried send after a lost acknowledgement
 * does not put a second copy of an image on the topic, so a duplicate answer can only come from the
 * service itself.
 */
public final class ImageStreamer {

    private final StreamOptions options;
    private final Consumer<String> progress;

    /** @param progress receives a line every {@link StreamOptions#progressEvery()} while the stream runs */
    public ImageStreamer(StreamOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public StreamSummary run(StreamInput input) throws InterruptedException {
        SendPacing pacing = new SendPacing(options.rate(), options.inFlight());
        RequestLedger ledger = new RequestLedger();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        try (AnswerReader answers = new AnswerReader(options.broker(), StreamOptions.KAFKA_TIMEOUT, ledger);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            answers.start();
            Progress report = new Progress(ledger, input.images().size());
            StallWatch stall = new StallWatch(options.answerTimeout(), System.nanoTime());
            long start = System.nanoTime();
            int index = 0;
            for (StreamImage image : input.images()) {
                while (true) {
                    check(answers, sendFailure);
                    long now = System.nanoTime();
                    stall.answered(ledger.lastAnswerNanos());
                    if (stall.stalled(ledger.outstanding(), now)) {
                        return stopped(ledger, report);
                    }
                    report.maybePrint(now);
                    long wait = pacing.rateDelayNanos(index, start, now);
                    if (wait == 0 && pacing.windowOpen(ledger.outstanding())) {
                        break;
                    }
                    Thread.sleep(Math.max(1, Math.min(50, wait / 1_000_000)));
                }
                byte[] bytes = image.bytes();
                String requestId = UUID.randomUUID().toString();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.IMAGES, utf8(requestId), bytes);
                record.headers().add(ImageHeaders.REQUEST_ID, utf8(requestId));
                record.headers().add(ImageHeaders.CONTENT_TYPE, utf8(contentType(bytes)));
                long now = System.nanoTime();
                stall.sending(ledger.outstanding(), now);
                ledger.sent(requestId, image.name(), image.trueLabel(), now);
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        sendFailure.compareAndSet(null, error);
                    }
                });
                index++;
            }
            producer.flush();
            check(answers, sendFailure);
            while (!ledger.allAnswered()) {
                check(answers, sendFailure);
                long now = System.nanoTime();
                stall.answered(ledger.lastAnswerNanos());
                if (stall.stalled(ledger.outstanding(), now)) {
                    return stopped(ledger, report);
                }
                report.maybePrint(now);
                Thread.sleep(20);
            }
            report.print();
            return ledger.summary();
        } catch (AuthenticationException | AuthorizationException e) {
            throw StreamFailedException.refused(options.broker(), "send images to " + Topics.IMAGES, e);
        } catch (KafkaException e) {
            throw new StreamFailedException("cannot send images to Kafka at " + options.broker().bootstrap() + ": "
                    + e.getMessage() + "; is the platform running? (./mlops up, ./mlops status)", e);
        }
    }

    private StreamSummary stopped(RequestLedger ledger, Progress report) {
        report.print();
        progress.accept("stream: no answer for " + options.answerTimeout().toSeconds() + " s while "
                + ledger.outstanding() + " images are unanswered; stopping (is the inference service running with "
                + "a model? ./mlops status; wait longer with --timeout)");
        return ledger.summary();
    }

    private void check(AnswerReader answers, AtomicReference<Exception> sendFailure) {
        if (answers.failure() != null) {
            throw answers.failure();
        }
        Exception failed = sendFailure.get();
        if (failed instanceof AuthenticationException || failed instanceof AuthorizationException) {
            throw StreamFailedException.refused(options.broker(), "send images to " + Topics.IMAGES, failed);
        }
        if (failed != null) {
            throw new StreamFailedException("Kafka at " + options.broker().bootstrap() + " refused an image: "
                    + failed.getMessage() + "; is the platform running? (./mlops status)", failed);
        }
    }

    /** Sniffed from the signature, as the service does; the header is informational. */
    static String contentType(byte[] bytes) {
        if (bytes.length >= 4 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "image/png";
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8) {
            return "image/jpeg";
        }
        return "application/octet-stream";
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.broker().bootstrap(),
                ProducerConfig.CLIENT_ID_CONFIG, "mlops-stream-" + UUID.randomUUID().toString().substring(0, 8),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(StreamOptions.KAFKA_TIMEOUT.toMillis()),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        p.putAll(options.broker().loginProperties());
        return p;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** A line every few seconds: how far sending and answering have got. */
    private final class Progress {
        private final RequestLedger ledger;
        private final int total;
        private final long startNanos = System.nanoTime();
        private long lastNanos = startNanos;

        Progress(RequestLedger ledger, int total) {
            this.ledger = ledger;
            this.total = total;
        }

        void maybePrint(long nowNanos) {
            if (nowNanos - lastNanos >= options.progressEvery().toNanos()) {
                print();
            }
        }

        void print() {
            lastNanos = System.nanoTime();
            int answered = ledger.answeredCount();
            double seconds = (lastNanos - startNanos) / 1e9;
            progress.accept(String.format(Locale.ROOT, "stream: sent %d/%d, answered %d (%.0f img/s) after %.0f s",
                    ledger.sentCount(), total, answered, seconds > 0 ? answered / seconds : 0.0, seconds));
        }
    }
}
