package dev.resnetops.inference.service;

/**
 * One image to classify over REST, already checked: not empty, within the size limit, and {@code top}
 * within 1 to {@code top-k}.
 *
 * @param requestId echoed in the prediction (the client's {@code X-Request-Id}, or a made-up UUID)
 * @param image     the encoded JPEG or PNG bytes
 * @param top       how many labels the prediction lists, most probable first
 */
public record ClassifyRequest(String requestId, byte[] image, int top) {}
