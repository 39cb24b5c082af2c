package dev.resnetops.vision.weights;

/** The file formats {@link WeightsReader} reads, named as they are recorded in a run's provenance. */
public enum WeightsFormat {
    /** Hugging Face safetensors: a JSON header and raw little-endian tensors (what timm publishes). */
    SAFETENSORS("safetensors"),
    /** {@code torch.save} since PyTorch 1.6: a zip of a pickled state dict and one file per storage. */
    PYTORCH_ZIP("pytorch-zip"),
    /** {@code torch.save} before PyTorch 1.6: pickles and raw storages back to back in one file. */
    PYTORCH_LEGACY("pytorch-legacy");

    private final String label;

    WeightsFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
