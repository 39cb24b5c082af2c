package dev.resnetops.apisecurity;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** The role an endpoint declares, read from its {@code @RolesAllowed} (method first, then class). */
public final class RequiredRole {

    private RequiredRole() {
    }

    /** The lowest role that may call the matched endpoint, or empty when it declares none. */
    public static Optional<String> of(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return Optional.empty();
        }
        try {
            Method method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
            return of(method);
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    /** The lowest role {@code @RolesAllowed} names on the method, else its class; empty when neither declares one. */
    public static Optional<String> of(Method method) {
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null && method.getAnnotation(PermitAll.class) == null) {
            allowed = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        if (allowed == null || allowed.value().length == 0) {
            return Optional.empty();
        }
        List<String> roles = Arrays.stream(allowed.value()).map(RequiredRole::expand).toList();
        return Optional.of(Roles.lowest(roles));
    }

    /** {@code @RolesAllowed("${key:default}")} as Quarkus reads it: the configured value, else the default. */
    static String expand(String role) {
        if (!role.startsWith("${") || !role.endsWith("}")) {
            return role;
        }
        String inner = role.substring(2, role.length() - 1);
        int colon = inner.indexOf(':');
        String key = colon < 0 ? inner : inner.substring(0, colon);
        String fallback = colon < 0 ? role : inner.substring(colon + 1);
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse(fallback);
    }
}
