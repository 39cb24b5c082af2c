package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetVersionView;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobStateChange;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** API responses built from the contracts records, as the orchestrator would send them. */
final class ApiFixtures {

    static final Instant CREATED = Instant.parse("2026-11-20T10:15:00Z");
    static final UUID DATASET_ID = UUID.fromString("3f2a9c1e-0000-4000-8000-000000000001");
    static final UUID VERSION_ID = UUID.fromString("77aa0000-0000-4000-8000-000000000002");
    static final UUID JOB_ID = UUID.fromString("9b1d2e3f-0000-4000-8000-000000000003");
    static final String HASH = "sha256:c0ffee1234567890abcdef";

    private ApiFixtures() {}

    static DatasetView ingesting(UUID id, String name) {
        return new DatasetView(id, name, "/data/" + name, DatasetStatus.INGESTING, null, null, List.of(), CREATED, CREATED);
    }

    static DatasetView ready(UUID id, String name, Instant created) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train", 60000);
        counts.put("test", 10000);
        Map<String, Map<String, Integer>> perClass = new LinkedHashMap<>();
        perClass.put("train", ordered("sneaker", 30000, "boot", 30000));
        perClass.put("test", ordered("sneaker", 5000, "boot", 5000));
        DatasetVersionView version = new DatasetVersionView(VERSION_ID, HASH, "idx", List.of("sneaker", "boot"), counts,
                perClass, 1, 28, 28, List.of(0.286), List.of(0.353), "/var/mlops/shards/c0ffee", created);
        return new DatasetView(id, name, "/data/" + name, DatasetStatus.READY, null, version,
                List.of(new Problem("train/boot/broken.png", "cannot decode: truncated PNG")), created, created);
    }

    static DatasetView failed(UUID id, String name) {
        return new DatasetView(id, name, "/data/" + name, DatasetStatus.FAILED, "no IDX, ImageFolder or CIFAR files in /data/"
                + name, null, List.of(), CREATED, CREATED);
    }

    static JsonNode config(TrainingConfig config) {
        return TrainingConfigCodec.toTree(config);
    }

    static JobView job(UUID id, JobState state, JsonNode config, EpochMetricsView metrics) {
        List<JobStateChange> history = state == JobState.QUEUED
                ? List.of(new JobStateChange(JobState.QUEUED, "submitted", CREATED))
                : List.of(new JobStateChange(JobState.QUEUED, "submitted", CREATED),
                        new JobStateChange(JobState.RUNNING, "picked up by worker-1", CREATED.plusSeconds(5)));
        return new JobView(id, DATASET_ID, VERSION_ID, config.get("model").asText(), state, null, false, config,
                "fashion", history, metrics, CREATED, CREATED.plusSeconds(60), null);
    }

    static EpochMetricsView epoch(int epoch, double top1) {
        return new EpochMetricsView(epoch, 0.4321, 0.05, top1, 0.998, 0.3125, 812.5, 42, CREATED.plusSeconds(90));
    }

    private static Map<String, Integer> ordered(String a, int countA, String b, int countB) {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put(a, countA);
        map.put(b, countB);
        return map;
    }
}
