package dev.resnetops.inference.stream;

import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.inference.model.LoadedModel;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a batch of image records into outcomes, one per record in record order: records without a
 * request id, empty or over the size limit are dead-lettered before the model sees them; the rest go
 * to the model in one call, and images it cannot decode are dead-lettered with the decoder's reason.
 */
final class BatchClassifier {

    private final int maxImageBytes;

    BatchClassifier(int maxImageBytes) {
        this.maxImageBytes = maxImageBytes;
    }

    /** The batch's outcomes and the time spent in the model. */
    record Result(List<StreamOutcome> outcomes, Duration modelTime, int classified) {}

    Result classify(List<ConsumerRecord<byte[], byte[]>> records, LoadedModel model) {
        StreamOutcome[] outcomes = new StreamOutcome[records.size()];
        List<ImageInput> inputs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            String requestId = header(record, ImageHeaders.REQUEST_ID);
            byte[] image = record.value();
            if (requestId == null || requestId.isBlank()) {
                outcomes[i] = new StreamOutcome.DeadLettered(record, DeadLetterKind.MISSING_REQUEST_ID,
                        "no '" + ImageHeaders.REQUEST_ID + "' header: a prediction could not be matched to its image");
            } else if (image == null || image.length == 0) {
                outcomes[i] = new StreamOutcome.DeadLettered(record, DeadLetterKind.EMPTY, "empty record value: no image bytes");
            } else if (image.length > maxImageBytes) {
                outcomes[i] = new StreamOutcome.DeadLettered(record, DeadLetterKind.TOO_LARGE, "image is " + image.length
                        + " bytes, over the limit of " + maxImageBytes + " (mlops.inference.max-image-bytes)");
            } else {
                inputs.add(new ImageInput.Encoded(requestId, image));
                positions.add(i);
            }
        }
        Duration modelTime = Duration.ZERO;
        int classified = 0;
        if (!inputs.isEmpty()) {
            Instant batchStart = Instant.now();
            long start = System.nanoTime();
            List<ImageResult> results = model.classifier().classify(inputs);
            modelTime = Duration.ofNanos(System.nanoTime() - start);
            double modelMillis = modelTime.toNanos() / 1e6;
            Instant now = Instant.now();
            for (int j = 0; j < results.size(); j++) {
                int i = positions.get(j);
                ConsumerRecord<byte[], byte[]> record = records.get(i);
                ImageResult result = results.get(j);
                if (result instanceof ImageResult.Classified ok) {
                    double queued = Math.max(0, batchStart.toEpochMilli() - record.timestamp());
                    outcomes[i] = new StreamOutcome.Answered(record, model.prediction(ok, ok.top().size(),
                            modelMillis, inputs.size(), queued, now));
                    classified++;
                } else {
                    outcomes[i] = new StreamOutcome.DeadLettered(record, DeadLetterKind.UNDECODABLE,
                            ((ImageResult.Rejected) result).error());
                }
            }
        }
        return new Result(List.of(outcomes), modelTime, classified);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
