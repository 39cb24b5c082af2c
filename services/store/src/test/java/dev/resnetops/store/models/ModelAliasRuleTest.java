package dev.resnetops.store.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.store.TransitionRefusedException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An alias points only at an existing version that passed the parity gate. */
class ModelAliasRuleTest {

    private static final AliasTarget PASSED = new AliasTarget(UUID.randomUUID(), true);
    private static final AliasTarget FAILED_PARITY = new AliasTarget(UUID.randomUUID(), false);

    @Test
    void candidateAndChampionMoveToAVersionThatPassedTheParityGate() {
        assertThat(ModelAliasRule.check("resnetops-x", ModelAliasRule.CANDIDATE, 3, Optional.of(PASSED))).isEqualTo(PASSED);
        assertThat(ModelAliasRule.check("resnetops-x", ModelAliasRule.CHAMPION, 3, Optional.of(PASSED))).isEqualTo(PASSED);
    }

    @Test
    void refusesAVersionThatFailedTheParityGate() {
        assertThatThrownBy(() -> ModelAliasRule.check("resnetops-x", ModelAliasRule.CHAMPION, 2,
                Optional.of(FAILED_PARITY)))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("alias champion of 'resnetops-x' cannot point at version 2: its ONNX export failed the"
                        + " parity gate");
    }

    @Test
    void refusesAVersionTheModelDoesNotHave() {
        assertThatThrownBy(() -> ModelAliasRule.check("resnetops-x", ModelAliasRule.CANDIDATE, 9, Optional.empty()))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("alias candidate of 'resnetops-x' cannot point at version 9: the model has no such version");
    }

    @Test
    void refusesAnAliasWithoutAName() {
        assertThatThrownBy(() -> ModelAliasRule.check("resnetops-x", " ", 1, Optional.of(PASSED)))
                .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("needs a name");
    }
}
