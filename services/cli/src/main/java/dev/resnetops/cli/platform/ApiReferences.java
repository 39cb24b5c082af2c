package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.WorkflowRunView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Turns what a person types into an id: a full UUID as is; otherwise a dataset name (its newest
 * registration) or the first characters of an id, as the listings show them.
 */
final class ApiReferences {

    private static final int PAGE_SIZE = 100;
    private static final int MIN_PREFIX = 4;

    private ApiReferences() {}

    static UUID dataset(ApiClient client, String reference) {
        Optional<UUID> id = parseUuid(reference);
        if (id.isPresent()) {
            return id.get();
        }
        List<DatasetView> datasets = all(page -> client.datasets(page, PAGE_SIZE).body());
        Optional<DatasetView> newest = datasets.stream()
                .filter(d -> reference.equals(d.name()))
                .max(Comparator.comparing(DatasetView::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (newest.isPresent()) {
            return newest.get().id();
        }
        return uniquePrefix(datasets.stream().map(DatasetView::id).toList(), reference, "dataset",
                "no dataset is named '" + reference + "'");
    }

    static UUID job(ApiClient client, String reference) {
        Optional<UUID> id = parseUuid(reference);
        if (id.isPresent()) {
            return id.get();
        }
        if (!looksLikeIdPrefix(reference)) {
            throw new IllegalArgumentException("'" + reference + "' is not a job id: give the id or its first "
                    + "characters, as 'mlops jobs list' shows them");
        }
        List<UUID> ids = all(page -> client.jobs(null, page, PAGE_SIZE).body()).stream().map(JobView::id).toList();
        return uniquePrefix(ids, reference, "job", null);
    }

    static UUID workflowRun(ApiClient client, String reference) {
        Optional<UUID> id = parseUuid(reference);
        if (id.isPresent()) {
            return id.get();
        }
        if (!looksLikeIdPrefix(reference)) {
            throw new IllegalArgumentException("'" + reference + "' is not a workflow run id: give the id or its first "
                    + "characters, as 'mlops workflows list --runs' shows them");
        }
        List<UUID> ids = all(page -> client.workflowRuns(null, page, PAGE_SIZE).body()).stream()
                .map(WorkflowRunView::id).toList();
        return uniquePrefix(ids, reference, "workflow run", null);
    }

    private static UUID uniquePrefix(List<UUID> ids, String reference, String kind, String notAName) {
        String prefix = reference.toLowerCase(Locale.ROOT);
        List<UUID> matches = looksLikeIdPrefix(reference)
                ? ids.stream().filter(id -> id.toString().startsWith(prefix)).distinct().toList()
                : List.of();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException((notAName == null ? "" : notAName + " and ") + "no " + kind
                    + " id starts with '" + reference + "'; see 'mlops " + kind + "s list'");
        }
        throw new IllegalArgumentException("'" + reference + "' is the start of " + matches.size() + " " + kind
                + " ids (" + matches.stream().map(UUID::toString).limit(5).toList() + "); give more characters");
    }

    private static boolean looksLikeIdPrefix(String reference) {
        return reference.length() >= MIN_PREFIX && reference.matches("[0-9a-fA-F-]+");
    }

    private static Optional<UUID> parseUuid(String reference) {
        if (reference.length() != 36) {
            return Optional.empty(); // UUID.fromString also accepts shortened forms such as 1-2-3-4-5
        }
        try {
            return Optional.of(UUID.fromString(reference));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Every item of a paged listing. */
    static <T> List<T> all(IntFunction<Page<T>> fetch) {
        List<T> items = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<T> result = fetch.apply(page);
            if (result.items() == null || result.items().isEmpty()) {
                return items;
            }
            items.addAll(result.items());
            if (items.size() >= result.total()) {
                return items;
            }
        }
    }
}
