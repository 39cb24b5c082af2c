package dev.resnetops.inference.stream;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.PredictionCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** What the stream writes for an outcome: a prediction on {@link Topics#PREDICTIONS} or a dead letter on {@link Topics#IMAGES_DLQ}. */
final class OutcomeRecords {

    /** Dead letters carry the original image up to this size; a larger one would risk the producer's request limit. */
    static final int DEAD_LETTER_VALUE_LIMIT = 512 * 1024;

    private OutcomeRecords() {
    }

    static ProducerRecord<byte[], byte[]> of(StreamOutcome outcome) {
        ConsumerRecord<byte[], byte[]> image = outcome.record();
        if (outcome instanceof StreamOutcome.Answered answered) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.PREDICTIONS, image.key(),
                    PredictionCodec.toJson(answered.prediction()));
            record.headers().add(ImageHeaders.REQUEST_ID, utf8(answered.prediction().requestId()));
            record.headers().add(ImageHeaders.CONTENT_TYPE, utf8("application/json"));
            return record;
        }
        StreamOutcome.DeadLettered dead = (StreamOutcome.DeadLettered) outcome;
        byte[] value = image.value();
        String reason = dead.reason();
        if (value != null && value.length > DEAD_LETTER_VALUE_LIMIT) {
            reason += " (the " + value.length + "-byte image is not copied to the dead letter; it is at "
                    + source(image) + ")";
            value = null;
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.IMAGES_DLQ, image.key(), value);
        for (Header header : image.headers()) {
            record.headers().add(header);
        }
        record.headers().add(ImageHeaders.DLQ_REASON, utf8(reason));
        record.headers().add(ImageHeaders.DLQ_SOURCE, utf8(source(image)));
        return record;
    }

    /** Where an image was read: topic, partition and offset, as dead letters and logs name it. */
    static String source(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
