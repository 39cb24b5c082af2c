package dev.resnetops.contracts.messages;

import java.util.Objects;

/** Required-field checks shared by the message records, so a malformed message names what is missing. */
final class Fields {

    private Fields() {
    }

    static <T> T required(T value, String name) {
        return Objects.requireNonNull(value, name + " is missing");
    }

    static String requiredText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new NullPointerException(name + " is missing");
        }
        return value;
    }

    static int version(int schemaVersion) {
        if (schemaVersion < 1 || schemaVersion > Message.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion " + schemaVersion + " is not supported (this code reads 1.."
                    + Message.SCHEMA_VERSION + ")");
        }
        return schemaVersion;
    }
}
