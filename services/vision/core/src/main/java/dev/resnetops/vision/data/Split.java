package dev.resnetops.vision.data;

import com.fasterxml.jackson.annotation.JsonValue;

/** The two splits a dataset can hold. A source's "val" folder is imported as {@link #TEST}. */
public enum Split {
    TRAIN,
    TEST;

    /** Lower-case name used in file names and in {@code manifest.json}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
