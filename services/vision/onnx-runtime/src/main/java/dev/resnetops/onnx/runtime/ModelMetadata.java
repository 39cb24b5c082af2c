package dev.resnetops.onnx.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.weights.InitReport;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What inference needs to know about an exported model, stored as ONNX {@code metadata_props}
 * (string key/value pairs) so the .onnx file is self-describing: no checkpoint is needed to serve it.
 *
 * <p>Input size, channels, mean and std are stored both on their own (readable by any ONNX tool)
 * and inside the full preprocessing JSON, which is what {@link OnnxClassifier} actually uses; the
 * spec hash lets a server check that it preprocesses exactly as training evaluated.
 *
 * <p>Where the weights started from (a torchvision/timm file's SHA-256, format and key names, or the
 * registered version or job they continued) is stored too, so a served file names its provenance.
 *
 * @param runId identifies the training run: the run folder's name unless the caller gives one
 * @param init where training started from; {@link InitReport#random()} for random weights
 */
public record ModelMetadata(
        String preset,
        String runId,
        List<String> classes,
        Preprocessing preprocessing,
        String datasetName,
        String datasetHash,
        InitReport init) {

    public static final String PRESET = "resnetops.preset";
    public static final String RUN_ID = "resnetops.run_id";
    public static final String CLASSES = "resnetops.classes";
    public static final String INPUT_SIZE = "resnetops.input_size";
    public static final String CHANNELS = "resnetops.channels";
    public static final String MEAN = "resnetops.mean";
    public static final String STD = "resnetops.std";
    public static final String DATASET_NAME = "resnetops.dataset_name";
    public static final String DATASET_HASH = "resnetops.dataset_hash";
    public static final String PREPROCESSING = "resnetops.preprocessing";
    public static final String PREPROCESSING_SPEC_HASH = "resnetops.preprocessing_spec_hash";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public ModelMetadata {
        classes = List.copyOf(classes);
        datasetName = datasetName == null ? "" : datasetName;
        datasetHash = datasetHash == null ? "" : datasetHash;
        init = init == null ? InitReport.random() : init;
    }

    /** A model trained from random weights. */
    public ModelMetadata(String preset, String runId, List<String> classes, Preprocessing preprocessing,
            String datasetName, String datasetHash) {
        this(preset, runId, classes, preprocessing, datasetName, datasetHash, InitReport.random());
    }

    /** Key/value pairs in a stable order. */
    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(PRESET, preset);
        props.put(RUN_ID, runId);
        props.put(CLASSES, json(classes));
        props.put(INPUT_SIZE, Integer.toString(preprocessing.inputSize()));
        props.put(CHANNELS, Integer.toString(preprocessing.channels()));
        props.put(MEAN, Arrays.toString(preprocessing.mean()));
        props.put(STD, Arrays.toString(preprocessing.std()));
        props.put(DATASET_NAME, datasetName);
        props.put(DATASET_HASH, datasetHash);
        props.put(PREPROCESSING, preprocessing.toJson());
        props.put(PREPROCESSING_SPEC_HASH, preprocessing.specHash());
        props.putAll(init.toProperties());
        return props;
    }

    /**
     * Reads the properties back; {@code origin} names the model file in errors. The stored spec hash
     * must match the stored spec, else the file was edited by hand or written by another tool.
     */
    public static ModelMetadata fromProperties(Map<String, String> props, String origin) {
        Preprocessing preprocessing = Preprocessing.fromJson(required(props, PREPROCESSING, origin));
        String storedHash = required(props, PREPROCESSING_SPEC_HASH, origin);
        if (!storedHash.equals(preprocessing.specHash())) {
            throw new IllegalArgumentException(origin + ": metadata " + PREPROCESSING_SPEC_HASH + " is " + storedHash
                    + " but the stored preprocessing hashes to " + preprocessing.specHash());
        }
        List<String> classes;
        try {
            classes = JSON.readValue(required(props, CLASSES, origin), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": metadata " + CLASSES + " is not a JSON list of names", e);
        }
        return new ModelMetadata(required(props, PRESET, origin), required(props, RUN_ID, origin), classes,
                preprocessing, props.get(DATASET_NAME), props.get(DATASET_HASH), InitReport.fromProperties(props));
    }

    private static String required(Map<String, String> props, String key, String origin) {
        String value = props.get(key);
        if (value == null) {
            throw new IllegalArgumentException(origin + " has no metadata property '" + key
                    + "': not a model exported by resnetops (found keys " + props.keySet() + ")");
        }
        return value;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings always serialises", e);
        }
    }
}
