package dev.resnetops.apisecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesTest {

    @Test
    void eachRoleImpliesTheOnesBelowIt() {
        assertThat(Roles.withImplied(Set.of(Roles.ADMIN))).containsExactlyInAnyOrder(Roles.ADMIN, Roles.SUBMITTER,
                Roles.VIEWER);
        assertThat(Roles.withImplied(Set.of(Roles.SUBMITTER))).containsExactlyInAnyOrder(Roles.SUBMITTER, Roles.VIEWER);
        assertThat(Roles.withImplied(Set.of(Roles.VIEWER))).containsExactly(Roles.VIEWER);
    }

    @Test
    void anUnknownRoleImpliesNothing() {
        assertThat(Roles.withImplied(Set.of("superuser"))).containsExactly("superuser");
    }

    @Test
    void theRoleToNameIsTheLowestAllowed() {
        assertThat(Roles.lowest(List.of(Roles.ADMIN, Roles.SUBMITTER))).isEqualTo(Roles.SUBMITTER);
        assertThat(Roles.lowest(List.of(Roles.ADMIN))).isEqualTo(Roles.ADMIN);
    }

    @Test
    void aRoleFromConfigurationFallsBackToItsDefault() {
        assertThat(RequiredRole.expand("${mlops.test.no-such-role-key:submitter}")).isEqualTo(Roles.SUBMITTER);
        assertThat(RequiredRole.expand(Roles.VIEWER)).isEqualTo(Roles.VIEWER);
    }
}
