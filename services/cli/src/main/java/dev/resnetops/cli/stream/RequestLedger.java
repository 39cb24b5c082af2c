package dev.resnetops.cli.stream;

import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.ServedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Matches the answers read from the predictions and dead-letter topics to the images this run sent,
 * by request id. The first answer of a request counts; a second one is a duplicate (the service
 * promises exactly once, so this is what shows whether it kept that promise); an answer to a request
 * id this run never sent belongs to another client sharing the topics and is ignored.
 *
 * <p>Times are {@link System#nanoTime()} values passed in by the caller. Thread-safe: the sender and
 * the thread reading the answers call it concurrently.
 */
public final class RequestLedger {

    /** What an answer turned out to be. */
    public enum Arrival { FIRST_ANSWER, DUPLICATE, FOREIGN }

    private record Request(String name, String trueLabel, long sentNanos) {}

    private final Map<String, Request> requests = new LinkedHashMap<>();
    private final Map<String, Boolean> answered = new HashMap<>();
    private final AccuracyTally accuracy = new AccuracyTally();
    private final List<Double> latencies = new ArrayList<>();
    private final Map<String, Integer> reasons = new HashMap<>();
    private final Map<String, Integer> versions = new LinkedHashMap<>();
    private int predicted;
    private int deadLettered;
    private int duplicates;
    private int foreign;
    private long firstSendNanos;
    private long lastAnswerNanos;

    /** @param trueLabel the image's class name, or null when unknown */
    public synchronized void sent(String requestId, String name, String trueLabel, long sentNanos) {
        if (requests.putIfAbsent(requestId, new Request(name, trueLabel, sentNanos)) != null) {
            throw new IllegalArgumentException("request id " + requestId + " was already sent");
        }
        if (requests.size() == 1) {
            firstSendNanos = sentNanos;
        }
    }

    public synchronized Arrival predicted(String requestId, Prediction prediction, long receivedNanos) {
        Arrival arrival = arrive(requestId, receivedNanos);
        if (arrival == Arrival.FIRST_ANSWER) {
            Request request = requests.get(requestId);
            predicted++;
            latencies.add((receivedNanos - request.sentNanos()) / 1e6);
            accuracy.add(request.trueLabel(), prediction.top());
            versions.merge(describe(prediction.model()), 1, Integer::sum);
        }
        return arrival;
    }

    public synchronized Arrival deadLettered(String requestId, String reason, long receivedNanos) {
        Arrival arrival = arrive(requestId, receivedNanos);
        if (arrival == Arrival.FIRST_ANSWER) {
            deadLettered++;
            reasons.merge(reason == null || reason.isBlank() ? "(no reason given)" : reason.strip(), 1, Integer::sum);
        }
        return arrival;
    }

    private Arrival arrive(String requestId, long receivedNanos) {
        if (requestId == null || !requests.containsKey(requestId)) {
            foreign++;
            return Arrival.FOREIGN;
        }
        if (answered.putIfAbsent(requestId, Boolean.TRUE) != null) {
            duplicates++;
            return Arrival.DUPLICATE;
        }
        lastAnswerNanos = Math.max(lastAnswerNanos, receivedNanos);
        return Arrival.FIRST_ANSWER;
    }

    public synchronized int sentCount() {
        return requests.size();
    }

    public synchronized int answeredCount() {
        return predicted + deadLettered;
    }

    /** When the latest first answer arrived; 0 before any. */
    public synchronized long lastAnswerNanos() {
        return lastAnswerNanos;
    }

    /** Sent and not answered yet. */
    public synchronized int outstanding() {
        return requests.size() - answered.size();
    }

    public synchronized boolean allAnswered() {
        return answered.size() == requests.size();
    }

    public synchronized StreamSummary summary() {
        List<String> missing = requests.entrySet().stream().filter(e -> !answered.containsKey(e.getKey()))
                .map(e -> e.getValue().name()).toList();
        Double seconds = answeredCount() == 0 ? null : (lastAnswerNanos - firstSendNanos) / 1e9;
        Double throughput = seconds == null || seconds <= 0 ? null : answeredCount() / seconds;
        LatencyDistribution d = LatencyDistribution.of(latencies);
        StreamSummary.Latency latency = new StreamSummary.Latency(d.count(), orNull(d.percentile(50)),
                orNull(d.percentile(95)), orNull(d.percentile(99)), orNull(d.max()));
        Map<String, Integer> byReason = reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return new StreamSummary(requests.size(), predicted, deadLettered, byReason, duplicates, foreign, missing,
                accuracy.labelled(), orNull(accuracy.top1()), orNull(accuracy.top5()), seconds, throughput, latency,
                new LinkedHashMap<>(versions));
    }

    /** "resnetops-fashion-mnist v3 (resnet50-paper-small)": a hot swap during the run shows as a second entry. */
    static String describe(ServedModel model) {
        return model.name() + " v" + model.version() + (model.preset() == null ? "" : " (" + model.preset() + ")");
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
