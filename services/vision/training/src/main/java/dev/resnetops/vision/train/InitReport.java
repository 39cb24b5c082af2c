package dev.resnetops.vision.train;

import java.util.List;

/**
 * Where a run's starting weights came from, for its log, its MLflow run and the model's provenance.
 *
 * @param source the {@code init} value as configured ("" for random initialisation)
 * @param format {@code random}, {@code safetensors}, {@code pytorch-zip}, {@code pytorch-legacy} or
 *     {@code resnetops-checkpoint}
 * @param sha256 of the weights file (the checkpoint's model.params); empty for random
 * @param keyConvention {@code torchvision} or {@code timm} for imported files, {@code resnetops} for
 *     our checkpoints, empty for random
 * @param headLoaded whether the classifier came from the source (false: a new head)
 * @param notes every intended difference (new head, adapted first convolution, ...)
 */
public record InitReport(String source, String format, String sha256, String keyConvention, boolean headLoaded,
        List<String> notes) {

    public InitReport {
        notes = List.copyOf(notes);
    }

    public static InitReport random() {
        return new InitReport("", "random", "", "", false, List.of());
    }

    public boolean isRandom() {
        return source.isEmpty();
    }
}
