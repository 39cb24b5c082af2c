package dev.resnetops.tracking;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a batch against MLflow's limits and cuts it into {@code runs/log-batch} requests that each stay
 * within them (see {@link MlflowLimits}). Everything is checked before the first request is sent, so a
 * batch the server would refuse (or truncate) fails whole, with a message naming the offending key.
 */
final class LogBatchSplitter {

    /** One request's share of the batch. */
    record Chunk(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        int size() {
            return metrics.size() + params.size() + tags.size();
        }
    }

    /** The request around the entities: run id, field names, brackets; generous on purpose. */
    private static final int ENVELOPE_BYTES = 1_000;
    /** Longest JSON number Jackson writes for a double or long, with room to spare. */
    private static final int NUMBER_BYTES = 25;

    private LogBatchSplitter() {
    }

    static List<Chunk> split(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        validate(metrics, params, tags);
        List<Chunk> chunks = new ArrayList<>();
        int m = 0;
        int p = 0;
        int t = 0;
        while (m < metrics.size() || p < params.size() || t < tags.size()) {
            Budget budget = new Budget();
            List<Param> chunkParams = new ArrayList<>();
            List<Tag> chunkTags = new ArrayList<>();
            List<Metric> chunkMetrics = new ArrayList<>();
            // Params and tags first: few and precious; metrics fill the rest of the request.
            while (p < params.size() && chunkParams.size() < MlflowLimits.MAX_PARAMS_PER_BATCH
                    && budget.take(size(params.get(p)))) {
                chunkParams.add(params.get(p++));
            }
            while (t < tags.size() && chunkTags.size() < MlflowLimits.MAX_TAGS_PER_BATCH
                    && budget.take(size(tags.get(t)))) {
                chunkTags.add(tags.get(t++));
            }
            while (m < metrics.size() && chunkMetrics.size() < MlflowLimits.MAX_METRICS_PER_BATCH
                    && budget.take(size(metrics.get(m)))) {
                chunkMetrics.add(metrics.get(m++));
            }
            if (budget.entities == 0) {
                // Unreachable with the length checks above; guards against a loop that sends nothing.
                throw new IllegalStateException("a single metric, param or tag does not fit into one log-batch request");
            }
            chunks.add(new Chunk(List.copyOf(chunkMetrics), List.copyOf(chunkParams), List.copyOf(chunkTags)));
        }
        return chunks;
    }

    static void validate(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        for (Metric metric : metrics) {
            checkKey("metric", metric.key());
        }
        Map<String, String> seenParams = new HashMap<>();
        for (Param param : params) {
            checkKey("param", param.key());
            checkValue("param", param.key(), param.value(), MlflowLimits.MAX_PARAM_VALUE_LENGTH);
            String earlier = seenParams.putIfAbsent(param.key(), param.value());
            if (earlier != null && !earlier.equals(param.value())) {
                // MLflow params are write-once: the second value would fail on the server after the
                // requests before it had already been written.
                throw new IllegalArgumentException("param '" + param.key() + "' appears twice in the batch with different values");
            }
        }
        for (Tag tag : tags) {
            checkKey("tag", tag.key());
            checkValue("tag", tag.key(), tag.value(), MlflowLimits.MAX_TAG_VALUE_LENGTH);
        }
    }

    private static void checkKey(String kind, String key) {
        if (key.isBlank()) {
            throw new IllegalArgumentException(kind + " key must not be empty");
        }
        int length = key.codePointCount(0, key.length());
        if (length > MlflowLimits.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(kind + " key '" + key.substring(0, 40) + "...' has " + length
                    + " characters; MLflow allows at most " + MlflowLimits.MAX_KEY_LENGTH);
        }
    }

    private static void checkValue(String kind, String key, String value, int limit) {
        // MLflow counts Python characters (code points), not UTF-16 units.
        int length = value.codePointCount(0, value.length());
        if (length > limit) {
            throw new IllegalArgumentException("value of " + kind + " '" + key + "' has " + length
                    + " characters; MLflow allows at most " + limit
                    + " and would silently truncate it. Log it as an artifact instead, or shorten it.");
        }
    }

    private static int size(Metric metric) {
        return 40 + quotedBytes(metric.key()) + 3 * NUMBER_BYTES;
    }

    private static int size(Param param) {
        return 20 + quotedBytes(param.key()) + quotedBytes(param.value());
    }

    private static int size(Tag tag) {
        return 20 + quotedBytes(tag.key()) + quotedBytes(tag.value());
    }

    private static int quotedBytes(String text) {
        return JsonStringEncoder.getInstance().quoteAsUTF8(text).length + 2;
    }

    /** Counts entities and bytes of the request being filled. */
    private static final class Budget {
        private int entities;
        private int bytes = ENVELOPE_BYTES;

        boolean take(int entityBytes) {
            if (entities >= MlflowLimits.MAX_ENTITIES_PER_BATCH
                    || bytes + entityBytes + 1 > MlflowLimits.MAX_BATCH_REQUEST_BYTES) {
                return false;
            }
            entities++;
            bytes += entityBytes + 1;
            return true;
        }
    }
}
