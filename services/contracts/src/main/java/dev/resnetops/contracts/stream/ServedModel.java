package dev.resnetops.contracts.stream;

/**
 * The model version that produced a prediction: enough to find it in the registry and to tell two
 * exports apart.
 *
 * @param name    registered model, e.g. {@code resnetops-fashion-mnist}
 * @param alias   the alias it was served under when the prediction was made, e.g. {@code champion}
 * @param version the registry's version number
 * @param sha256  of the ONNX file that ran
 * @param preset  the architecture preset it was trained as, e.g. {@code resnet50-paper-small}
 */
public record ServedModel(String name, String alias, int version, String sha256, String preset) {}
