package dev.resnetops.cli.stream;

import java.time.Duration;

/**
 * How to stream: the broker and login, the pacing, and when to give up.
 *
 * @param rate          images per second at most (0 = as fast as the producer goes)
 * @param inFlight      unanswered images at most (0 = no limit)
 * @param answerTimeout give up after this long without any answer while images are unanswered
 * @param progressEvery how often a progress line goes to the progress sink
 */
public record StreamOptions(StreamBroker broker, double rate, int inFlight, Duration answerTimeout, Duration progressEvery) {

    /** How long Kafka may take to answer metadata and send requests before the broker counts as unreachable. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);
}
