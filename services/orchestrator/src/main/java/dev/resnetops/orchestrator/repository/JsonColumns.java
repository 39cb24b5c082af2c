package dev.resnetops.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads and writes the JSONB columns with the application's Jackson mapper. */
@ApplicationScoped
public class JsonColumns {

    private final ObjectMapper json;

    JsonColumns(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON column", e);
        }
    }

    public <T> T read(String column, TypeReference<T> type) {
        if (column == null) {
            return null;
        }
        try {
            return json.readValue(column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON column does not hold a " + type.getType(), e);
        }
    }

    public JsonNode tree(String column) {
        try {
            return column == null ? null : json.readTree(column);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON column is not JSON", e);
        }
    }
}
