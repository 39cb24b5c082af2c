package dev.resnetops.inference.stream;

import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.inference.model.LoadedModel;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Turns a batch of image records into outcomes, one per record in record order: records without a
 * request id, empty or over the size limit are dead-lettered before the model sees them; the rest go
 * to the model in one call, and images it cannot decode are dead-lettered with the decoder's reason.
 *
 * <p>When the model call itself throws (a bug, ONNX Runtime, an unexpected tensor, a wrong number of
 * results), the batch is classified again image by image, and only the images that still fail alone are
 * dead-lettered ({@link DeadLetterKind#MODEL_FAILED}, with the exception): one bad image never holds
 * up the stream, and the others get their one prediction in the same transaction. Record by record is
 * also how a batch is classified after a session ended with an {@link Error} ({@code oneByOne}); then an
 * {@link VirtualMachineError} of one image (a stack overflow, out of memory on one huge tensor) dead-letters
 * that image instead of ending the next session the same way.
 */
final class BatchClassifier {

    private static final Logger LOG = Logger.getLogger(BatchClassifier.class);

    private final int maxImageBytes;
    private final BatchInference inference;

    BatchClassifier(int maxImageBytes, BatchInference inference) {
        this.maxImageBytes = maxImageBytes;
        this.inference = inference;
    }

    /** The batch's outcomes and the time spent in the model. */
    record Result(List<StreamOutcome> outcomes, Duration modelTime, int classified) {}

    Result classify(List<ConsumerRecord<byte[], byte[]>> records, LoadedModel model) {
        return classify(records, model, false);
    }

    /** @param oneByOne one model call per image from the start, each failure (also an Error) isolated to its image */
    Result classify(List<ConsumerRecord<byte[], byte[]>> records, LoadedModel model, boolean oneByOne) {
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
        if (inputs.isEmpty()) {
            return new Result(List.of(outcomes), Duration.ZERO, 0);
        }
        Instant batchStart = Instant.now();
        long start = System.nanoTime();
        List<ImageResult> results = null;
        if (!oneByOne) {
            try {
                results = inference.classify(model, inputs);
                if (results == null || results.size() != inputs.size()) {
                    throw new IllegalStateException("the model returned " + (results == null ? "no" : results.size())
                            + " results for " + inputs.size() + " images");
                }
            } catch (RuntimeException e) {
                LOG.warnf("the model failed on a batch of %d images (%s); classifying them one by one to dead-letter"
                        + " only the ones that fail alone", inputs.size(), BackgroundLoop.describe(e));
                results = null;
            }
        }
        String[] failures = new String[inputs.size()];
        if (results == null) {
            results = new ArrayList<>(inputs.size());
            for (int j = 0; j < inputs.size(); j++) {
                results.add(classifyAlone(model, inputs.get(j), failures, j));
            }
        }
        Duration modelTime = Duration.ofNanos(System.nanoTime() - start);
        double modelMillis = modelTime.toNanos() / 1e6;
        Instant now = Instant.now();
        int classified = 0;
        for (int j = 0; j < inputs.size(); j++) {
            int i = positions.get(j);
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            ImageResult result = results.get(j);
            if (failures[j] != null) {
                outcomes[i] = modelFailed(record, failures[j]);
            } else if (result instanceof ImageResult.Classified ok) {
                double queued = Math.max(0, batchStart.toEpochMilli() - record.timestamp());
                try {
                    outcomes[i] = new StreamOutcome.Answered(record, model.prediction(ok, ok.top().size(),
                            modelMillis, inputs.size(), queued, now));
                    classified++;
                } catch (RuntimeException e) {
                    outcomes[i] = modelFailed(record, "its result could not be made a prediction: " + BackgroundLoop.describe(e));
                }
            } else if (result instanceof ImageResult.Rejected rejected) {
                outcomes[i] = new StreamOutcome.DeadLettered(record, DeadLetterKind.UNDECODABLE, rejected.error());
            } else {
                outcomes[i] = modelFailed(record, "the model returned no result for this image");
            }
        }
        return new Result(List.of(outcomes), modelTime, classified);
    }

    /** The image's result, or null with its failure written to {@code failures[j]}. */
    private ImageResult classifyAlone(LoadedModel model, ImageInput input, String[] failures, int j) {
        try {
            List<ImageResult> alone = inference.classify(model, List.of(input));
            if (alone == null || alone.size() != 1) {
                failures[j] = "classified alone, it returned " + (alone == null ? "no" : alone.size()) + " results";
                return null;
            }
            return alone.get(0);
        } catch (RuntimeException | VirtualMachineError e) {
            failures[j] = "classified alone, it threw " + BackgroundLoop.describe(e);
            return null;
        }
    }

    private static StreamOutcome.DeadLettered modelFailed(ConsumerRecord<byte[], byte[]> record, String why) {
        return new StreamOutcome.DeadLettered(record, DeadLetterKind.MODEL_FAILED, "the model failed on this image ("
                + why + "); the other images of its batch were answered. Send it again once the cause is fixed"
                + " (the dead letter keeps the image and its headers)");
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
