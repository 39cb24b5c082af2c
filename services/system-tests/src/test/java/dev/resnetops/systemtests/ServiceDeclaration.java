package dev.resnetops.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a platform service runs, as {@code deploy/services.conf} declares it: the file {@code ./mlops up}
 * reads too, so a system test starts a service with the heap, threads and start-up check the local
 * stack uses (the columns are described in the file).
 *
 * @param heap        the JVM's {@code -Xmx} value, e.g. {@code 2g}
 * @param nice        its CPU priority on a shared host, as nice(1) takes it (0-19)
 * @param startedPath the health path that answers 200 once the service is started
 */
record ServiceDeclaration(String name, String module, int defaultPort, String portVariable, String heap,
                          ThreadRule threads, int nice, String startedPath) {

    static final String FILE = "deploy/services.conf";

    /** How many intra-op threads a service takes. */
    enum ThreadRule {
        /** One per core. */
        ALL,
        /** The cores shared among the service's workers running side by side, at least one each. */
        SPLIT;

        int threads(int cores, int workers) {
            return this == ALL ? cores : Math.max(1, cores / workers);
        }
    }

    /** The declared service of that name, from the repository's {@value #FILE}. */
    static ServiceDeclaration of(String name) {
        ServiceDeclaration declared = Declared.ALL.get(name);
        if (declared == null) {
            throw new IllegalArgumentException("no service '" + name + "' in " + FILE + " (declared: "
                    + String.join(", ", Declared.ALL.keySet()) + ")");
        }
        return declared;
    }

    /** Every declared service, in start order. */
    static List<ServiceDeclaration> all() {
        return List.copyOf(Declared.ALL.values());
    }

    /** The lines of a services file; {@code source} names it in errors. */
    static Map<String, ServiceDeclaration> parse(List<String> lines, String source) {
        Map<String, ServiceDeclaration> services = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\\s+");
            String where = source + ":" + (i + 1) + ": ";
            if (c.length != 8 || !c[2].matches("[0-9]+") || !c[5].matches("all|split") || !c[6].matches("1?[0-9]")
                    || !c[7].startsWith("/")) {
                throw new IllegalStateException(where + "expected 'name module port port-var heap all|split"
                        + " nice(0-19) /health/path', not: " + line);
            }
            ServiceDeclaration service = new ServiceDeclaration(c[0], c[1], Integer.parseInt(c[2]), c[3], c[4],
                    ThreadRule.valueOf(c[5].toUpperCase()), Integer.parseInt(c[6]), c[7]);
            if (services.put(service.name(), service) != null) {
                throw new IllegalStateException(where + "'" + service.name() + "' is declared twice");
            }
        }
        return services;
    }

    /** Read once, on first use. */
    private static final class Declared {
        static final Map<String, ServiceDeclaration> ALL = read(Infrastructure.repoRoot().resolve(FILE));

        private static Map<String, ServiceDeclaration> read(Path file) {
            try {
                return parse(Files.readAllLines(file), file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the service declarations " + file, e);
            }
        }
    }
}
