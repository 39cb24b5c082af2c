package dev.resnetops.orchestrator.rest;

import dev.resnetops.contracts.api.Problem;
import dev.resnetops.orchestrator.service.RequestRefused;
import java.util.ArrayList;
import java.util.List;

/** Validated page/size query parameters. */
record Paging(int page, int size) {

    static Paging of(int page, int size, int maxSize) {
        List<Problem> problems = new ArrayList<>();
        if (page < 0) {
            problems.add(new Problem("page", "must be 0 or more, got " + page));
        }
        if (size < 1 || size > maxSize) {
            problems.add(new Problem("size", "must be between 1 and " + maxSize + ", got " + size));
        }
        if (!problems.isEmpty()) {
            throw RequestRefused.invalid(problems);
        }
        return new Paging(page, size);
    }
}
