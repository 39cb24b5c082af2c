package dev.resnetops.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.apisecurity.RequiredRole;
import dev.resnetops.apisecurity.Roles;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the API's main classes names its role. The server closes an endpoint that names none
 * ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}); this test says which one before a user finds it.
 */
class EveryEndpointDeclaresARoleTest {

    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD");

    @Test
    void everyEndpointOfTheApiDeclaresAKnownRole() throws Exception {
        List<Method> endpoints = endpoints(Path.of("target/classes"));
        assertThat(endpoints).as("endpoints found under target/classes").hasSizeGreaterThanOrEqualTo(19);
        List<String> undeclared = new ArrayList<>();
        for (Method endpoint : endpoints) {
            String name = endpoint.getDeclaringClass().getSimpleName() + "." + endpoint.getName();
            RequiredRole.of(endpoint).filter(Roles.LADDER::contains).ifPresentOrElse(role -> { },
                    () -> undeclared.add(name));
        }
        assertThat(undeclared).as("endpoints without @RolesAllowed(viewer|submitter|admin)").isEmpty();
    }

    @Test
    void findsAnEndpointThatDeclaresNoRole() throws Exception {
        Method undeclared = Undeclared.class.getDeclaredMethod("open");
        assertThat(isEndpoint(undeclared)).isTrue();
        assertThat(RequiredRole.of(undeclared)).isEmpty();
    }

    static class Undeclared {
        @jakarta.ws.rs.GET
        public String open() {
            return "";
        }
    }

    private static List<Method> endpoints(Path classes) throws IOException, ClassNotFoundException {
        List<Method> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, EveryEndpointDeclaresARoleTest.class.getClassLoader());
                for (Method method : type.getDeclaredMethods()) {
                    if (isEndpoint(method)) {
                        found.add(method);
                    }
                }
            }
        }
        return found;
    }

    private static boolean isEndpoint(Method method) {
        return Stream.of(method.getAnnotations()).anyMatch(a -> HTTP_METHODS.contains(a.annotationType().getSimpleName())
                && a.annotationType().getPackageName().equals("jakarta.ws.rs"));
    }
}
