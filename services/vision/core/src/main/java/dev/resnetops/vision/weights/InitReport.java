package dev.resnetops.vision.weights;

import dev.resnetops.vision.data.ChannelStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's starting weights came from, for its log, its MLflow run, the registered model version
 * and the exported model's metadata.
 *
 * @param source the {@code init} value as configured ("" for random initialisation)
 * @param resolved what a platform reference ({@code job:<id>}, {@code <model>@<alias>}, an uploaded
 *     file's name) stood for when the run started, e.g. "resnetops-flowers version 3 (job 72f3...)";
 *     "" for a path
 * @param format {@code random}, {@code safetensors}, {@code pytorch-zip}, {@code pytorch-legacy} or
 *     {@code resnetops-checkpoint}
 * @param sha256 of the weights file (the checkpoint's model.params); empty for random
 * @param keyConvention {@code torchvision} or {@code timm} for imported files, {@code resnetops} for
 *     our checkpoints, empty for random
 * @param headLoaded whether the classifier came from the source (false: a new head)
 * @param notes every intended difference (new head, adapted first convolution, ...)
 * @param statistics the normalisation the weights were trained with (ImageNet's for a weights file,
 *     the checkpoint's for one of ours); null for random weights, which expect nothing
 */
public record InitReport(String source, String resolved, String format, String sha256, String keyConvention,
        boolean headLoaded, List<String> notes, ChannelStatistics statistics) {

    public static final String SOURCE = "resnetops.init.source";
    public static final String RESOLVED = "resnetops.init.resolved";
    public static final String FORMAT = "resnetops.init.format";
    public static final String SHA256 = "resnetops.init.sha256";
    public static final String KEY_CONVENTION = "resnetops.init.key_convention";
    public static final String HEAD = "resnetops.init.head";

    public InitReport {
        // Checkpoints written before these fields existed read them as null.
        resolved = resolved == null ? "" : resolved;
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public static InitReport random() {
        return new InitReport("", "", "random", "", "", false, List.of(), null);
    }

    public boolean isRandom() {
        return source.isEmpty();
    }

    /**
     * The provenance as string properties, under the same keys everywhere they are kept: the MLflow run's
     * and the registered version's tags and the ONNX file's metadata. The notes are not included: they
     * can be long, and the run's log and {@code init.notes} tag carry them.
     */
    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(FORMAT, format);
        if (!isRandom()) {
            props.put(SOURCE, source);
            if (!resolved.isEmpty()) {
                props.put(RESOLVED, resolved);
            }
            props.put(SHA256, sha256);
            props.put(KEY_CONVENTION, keyConvention);
            props.put(HEAD, headLoaded ? "loaded" : "new");
        }
        return props;
    }

    /** Reads {@link #toProperties()} back (without notes or statistics); random when there are none. */
    public static InitReport fromProperties(Map<String, String> props) {
        String source = props.get(SOURCE);
        if (source == null || source.isEmpty()) {
            return random();
        }
        return new InitReport(source, props.getOrDefault(RESOLVED, ""), props.getOrDefault(FORMAT, ""),
                props.getOrDefault(SHA256, ""), props.getOrDefault(KEY_CONVENTION, ""), "loaded".equals(props.get(HEAD)),
                List.of(), null);
    }

    /** The same report, with what a platform reference resolved to. */
    public InitReport withResolved(String description) {
        return new InitReport(source, description, format, sha256, keyConvention, headLoaded, notes, statistics);
    }
}
