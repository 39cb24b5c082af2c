package dev.resnetops.vision.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.resnetops.vision.config.ConfigProblem.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads and writes {@link TrainingConfig} as JSON or YAML, with errors that name the field. */
public final class TrainingConfigCodec {

    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    private static final ObjectMapper YAML = configure(new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)));
    private static final Set<String> FIELDS = fieldNames();

    private TrainingConfigCodec() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 2.5 epochs is an error, not 2
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    public static TrainingConfig fromJson(String json) {
        return parse(JSON, json);
    }

    public static TrainingConfig fromYaml(String yaml) {
        return parse(YAML, yaml);
    }

    /** Reads a {@code .json}, {@code .yaml} or {@code .yml} file. */
    public static TrainingConfig read(Path file) {
        return read(file, Map.of());
    }

    /**
     * Reads a file ({@code null}: no file, all defaults) with {@code fields} set on top of it, e.g. command
     * line flags. The fields join the file's before defaults are filled in, so a default that follows another
     * field (the warm-up follows {@code epochs}) follows the overriding value too.
     */
    public static TrainingConfig read(Path file, Map<String, ?> fields) {
        ObjectNode tree = file == null ? JSON.createObjectNode() : readTree(file);
        fields.forEach((name, value) -> tree.set(name, JSON.valueToTree(value)));
        try {
            return bind(JSON, tree);
        } catch (InvalidConfigException e) {
            // Blame the file only for what the file set: a bad flag is not the file's fault.
            boolean fieldsOnly = e.problems().stream().allMatch(p -> p.field() != null && fields.containsKey(p.field()));
            throw file == null || fieldsOnly ? e : e.in(file.getFileName().toString());
        }
    }

    private static ObjectNode readTree(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training configuration " + file + ": " + e.getMessage(), e);
        }
        boolean json = file.getFileName().toString().toLowerCase().endsWith(".json");
        try {
            JsonNode tree = parseTree(json ? JSON : YAML, text);
            if (!(tree instanceof ObjectNode mapping)) {
                throw notAMapping(tree);
            }
            return mapping;
        } catch (InvalidConfigException e) {
            throw e.in(file.getFileName().toString());
        }
    }

    public static String toJson(TrainingConfig config) {
        return write(JSON, config);
    }

    public static String toYaml(TrainingConfig config) {
        return write(YAML, config);
    }

    /** A JSON tree of the config, for embedding in other documents (checkpoints, job requests). */
    public static JsonNode toTree(TrainingConfig config) {
        return JSON.valueToTree(config);
    }

    public static TrainingConfig fromTree(JsonNode tree) {
        return bind(JSON, tree);
    }

    private static TrainingConfig parse(ObjectMapper mapper, String text) {
        return bind(mapper, parseTree(mapper, text));
    }

    private static JsonNode parseTree(ObjectMapper mapper, String text) {
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw InvalidConfigException.of(new ConfigProblem(null, Rule.SYNTAX, null,
                    "not valid " + (mapper == JSON ? "JSON" : "YAML") + ": " + e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = mapper.createObjectNode(); // an empty file means "all defaults"
        }
        return tree;
    }

    private static TrainingConfig bind(ObjectMapper mapper, JsonNode tree) {
        if (!(tree instanceof ObjectNode)) {
            throw notAMapping(tree);
        }
        List<ConfigProblem> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!FIELDS.contains(field.getKey())) {
                unknown.add(new ConfigProblem(field.getKey(), Rule.UNKNOWN_FIELD, field.getValue(),
                        "unknown field (known fields: " + String.join(", ", FIELDS) + ")"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(unknown);
        }
        try {
            return mapper.treeToValue(tree, TrainingConfig.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidConfigException invalid) {
                throw invalid;
            }
            throw InvalidConfigException.of(new ConfigProblem(null, Rule.WRONG_TYPE, null, e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            throw InvalidConfigException.of(unreadable(tree, e));
        } catch (JsonProcessingException e) {
            throw InvalidConfigException.of(new ConfigProblem(null, Rule.WRONG_TYPE, null, e.getOriginalMessage()));
        }
    }

    private static InvalidConfigException notAMapping(JsonNode tree) {
        return InvalidConfigException.of(new ConfigProblem(null, Rule.NOT_A_MAPPING, null,
                "a training configuration must be a mapping of fields, found "
                        + tree.getNodeType().toString().toLowerCase()));
    }

    /** A value Jackson could not bind to its field, classified by what was there. */
    private static ConfigProblem unreadable(JsonNode tree, JsonMappingException e) {
        String message = "wrong type or value: " + e.getOriginalMessage();
        if (e.getPath().isEmpty() || e.getPath().get(0).getFieldName() == null) {
            return new ConfigProblem(null, Rule.WRONG_TYPE, null, message);
        }
        String field = e.getPath().get(0).getFieldName();
        JsonNode found = tree.get(field);
        return new ConfigProblem(field, unreadableRule(found, e), found, message);
    }

    private static Rule unreadableRule(JsonNode found, JsonMappingException e) {
        if (found == null || found.isNull()) {
            return Rule.REQUIRED; // null for an int, a double or a boolean
        }
        boolean unknownName = e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum();
        return unknownName ? Rule.NOT_ONE_OF : Rule.WRONG_TYPE;
    }

    /** A builder value as the JSON form writes it (enums by key, arrays as lists): a {@link ConfigProblem#found()}. */
    static JsonNode jsonValue(Object value) {
        return value == null ? NullNode.getInstance() : JSON.valueToTree(value);
    }

    private static String write(ObjectMapper mapper, TrainingConfig config) {
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + config, e);
        }
    }

    private static Set<String> fieldNames() {
        Set<String> names = new TreeSet<>();
        for (var component : TrainingConfig.class.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }
}
