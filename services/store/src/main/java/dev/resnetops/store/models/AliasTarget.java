package dev.resnetops.store.models;

import java.util.UUID;

/** The {@code model_versions} row an alias is to point at, and whether its ONNX export passed the parity gate. */
public record AliasTarget(UUID rowId, boolean parityPassed) {
}
