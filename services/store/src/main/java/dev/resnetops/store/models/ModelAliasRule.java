package dev.resnetops.store.models;

import dev.resnetops.store.TransitionRefusedException;
import java.util.Optional;

/**
 * Which model version an alias may point at: the rule {@link ModelStore#moveAlias} checks before it
 * moves one. The evaluator points {@value #CANDIDATE} at each version it registers; promotion (the API's
 * {@code POST /models/{name}/promote}, a workflow's promote step) points {@value #CHAMPION}, or the alias
 * the workflow names, at a chosen version. Inference serves whatever an alias points at, so an alias
 * only ever points at an existing version of its registered model whose ONNX export passed the
 * parity gate: a failed one would serve predictions that differ from the model that was evaluated.
 */
public final class ModelAliasRule {

    public static final String CANDIDATE = "candidate";
    public static final String CHAMPION = "champion";

    private ModelAliasRule() {
    }

    /**
     * @param version the version number asked for, for the message
     * @param target  that version's row, empty when {@code model} has no such version
     * @throws TransitionRefusedException when {@code alias} may not point at it
     */
    public static AliasTarget check(String model, String alias, int version, Optional<AliasTarget> target) {
        if (alias == null || alias.isBlank()) {
            throw new TransitionRefusedException("an alias of registered model '" + model + "' needs a name"
                    + " (e.g. " + CHAMPION + " or " + CANDIDATE + ")");
        }
        AliasTarget found = target.orElseThrow(() -> new TransitionRefusedException("alias " + alias + " of '" + model
                + "' cannot point at version " + version + ": the model has no such version"));
        if (!found.parityPassed()) {
            throw new TransitionRefusedException("alias " + alias + " of '" + model + "' cannot point at version "
                    + version + ": its ONNX export failed the parity gate");
        }
        return found;
    }
}
