package dev.resnetops.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One platform service running as its own process from its packaged jar, as in production, so a test can
 * kill it with SIGKILL mid-flight and start it again.
 */
final class ServiceProcess implements AutoCloseable {

    /** 90 s by default; a machine shared with other builds may need more (MLOPS_SERVICE_READY_SECONDS). */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.parseLong(
            System.getenv().getOrDefault("MLOPS_SERVICE_READY_SECONDS", "90")));

    private final String name;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, Map<String, String> env, int port, Path log, Process process) {
        this.name = name;
        this.env = env;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code services/<name>} with the infrastructure's addresses plus {@code env}, and waits until ready. */
    static ServiceProcess start(String name, Map<String, String> env) {
        return start(name, Map.copyOf(env), freePort());
    }

    /**
     * Starts this service again, after {@link #kill()} or {@link #close()}, with the same environment and
     * port, as a supervisor restarting a crashed instance would: whatever derives from them (an instance
     * id, a transactional id) is the same as before.
     */
    ServiceProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + "): kill or close it first");
        }
        return start(name, env, port);
    }

    private static ServiceProcess start(String name, Map<String, String> env, int port) {
        Path jar = Infrastructure.repoRoot().resolve("services/" + name + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (./mvnw package -pl services/" + name + ")");
        }
        try {
            Path logs = Files.createDirectories(Path.of("target/service-logs"));
            Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
            // Training and evaluation keep model arrays in native memory; their heap holds batches and reports.
            String heap = name.equals("trainer") || name.equals("evaluator") ? "-Xmx2g" : "-Xmx768m";
            ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), heap, "-Dai.djl.offline=true",
                    "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().putAll(env);
            ServiceProcess service = new ServiceProcess(name, env, port, log, builder.start());
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hooks, no flushing, exactly what a crash does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting:\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + tail());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
