package dev.resnetops.workflows.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.resnetops.workflows.Problems;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads YAML text into a {@link YamlNode} tree with line numbers, from Jackson's streaming YAML parser
 * (token locations survive there, not in {@code readTree}). Duplicate keys and aliases, which
 * {@code readTree} would silently resolve one way or another, are reported instead.
 */
public final class YamlTreeReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Problems problems;

    public YamlTreeReader(Problems problems) {
        this.problems = problems;
    }

    /** The document's root, or empty (with a problem recorded) when the text is not usable YAML. */
    public Optional<YamlNode> read(String text) {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(1, "the file is empty: a workflow needs at least 'name' and 'steps'");
                return Optional.empty();
            }
            YamlNode root = node(parser, first);
            JsonToken after = parser.nextToken();
            if (after != null && after != JsonToken.VALUE_NULL) { // a trailing "---" alone is an empty document
                problems.add(parser.currentTokenLocation().getLineNr(),
                        "a workflow file holds one YAML document; this one starts a second (---)");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            problems.add(line, "not valid YAML: " + firstLine(e.getOriginalMessage()));
            return Optional.empty();
        } catch (IOException e) {
            // Reading from a String cannot fail on I/O; anything here is a parser defect.
            throw new IllegalStateException("cannot read YAML text", e);
        }
    }

    private YamlNode node(YAMLParser parser, JsonToken token) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.START_OBJECT) {
            return map(parser, line);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                items.add(node(parser, next));
            }
            return new YamlList(line, items);
        }
        if (parser.isCurrentAlias()) {
            problems.add(line, "YAML aliases (*" + parser.getText() + ") are not supported: use a parameter,"
                    + " or 'extends' to share a training configuration");
            return new YamlScalar(line, null);
        }
        return new YamlScalar(line, scalar(parser, token, line));
    }

    private YamlMap map(YAMLParser parser, int line) throws IOException {
        List<YamlEntry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
            String key = parser.currentName();
            int keyLine = parser.currentTokenLocation().getLineNr();
            YamlNode value = node(parser, parser.nextToken());
            if (keys.add(key)) {
                entries.add(new YamlEntry(key, keyLine, value));
            } else {
                problems.add(keyLine, "'" + key + "' appears twice in the same mapping");
            }
        }
        return new YamlMap(line, entries);
    }

    private Object scalar(JsonParser parser, JsonToken token, int line) throws IOException {
        switch (token) {
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    problems.add(line, "the number " + parser.getText() + " is too large");
                    return null;
                }
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                return parser.getText();
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }
}
