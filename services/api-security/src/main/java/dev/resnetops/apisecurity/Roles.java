package dev.resnetops.apisecurity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's roles, lowest first: {@code viewer} reads, {@code submitter} also registers datasets and starts
 * or cancels jobs and workflows, {@code admin} also promotes models and changes the registry. A token names
 * one role (its {@code groups} claim); {@link RoleHierarchy} grants the ones below it, so endpoints declare
 * only the lowest role that may call them.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String SUBMITTER = "submitter";
    public static final String ADMIN = "admin";

    /** Lowest first: each role implies every role before it. */
    public static final List<String> LADDER = List.of(VIEWER, SUBMITTER, ADMIN);

    private Roles() {
    }

    /** The granted roles plus every role they imply; unknown roles are kept as they are (and match nothing). */
    public static Set<String> withImplied(Set<String> granted) {
        Set<String> roles = new LinkedHashSet<>(granted);
        for (String role : granted) {
            int rank = LADDER.indexOf(role);
            for (int below = 0; below < rank; below++) {
                roles.add(LADDER.get(below));
            }
        }
        return roles;
    }

    /** The lowest of these roles on the ladder (the one to tell a refused caller about), or the first one. */
    public static String lowest(List<String> roles) {
        return LADDER.stream().filter(roles::contains).findFirst().orElse(roles.isEmpty() ? ADMIN : roles.get(0));
    }

    /** How a caller gets a token of this role, for the messages of refused requests. */
    public static String howToGetToken(String role) {
        return "create one with './mlops token create --role " + role + "' on the machine that holds the platform's"
                + " signing key (docs/security.md), then pass it as --token, in MLOPS_API_TOKEN or in the header"
                + " 'Authorization: Bearer <token>'";
    }
}
