package dev.resnetops.vision.data;

import java.util.Objects;

/**
 * One quarantined record: the importer skipped it and lists it in {@code manifest.json}.
 *
 * @param location the file, plus {@code #record} when the file holds many records
 * @param reason   why it was skipped, in words a user can act on
 */
public record DataProblem(String location, String reason) {

    public DataProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return location + ": " + reason;
    }
}
