package dev.resnetops.systemtests;

import dev.resnetops.testsupport.TestTokens;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One platform service running as its own process from its packaged jar, as in production, so a test can
 * kill it with SIGKILL mid-flight and start it again. Heap, threads and the start-up check are the ones
 * {@code ./mlops up} uses: both read them from {@link ServiceDeclaration deploy/services.conf}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final String THREADS = "OMP_NUM_THREADS";
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** 90 s by default; a machine shared with other builds may need more (MLOPS_SERVICE_READY_SECONDS). */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.parseLong(
            System.getenv().getOrDefault("MLOPS_SERVICE_READY_SECONDS", "90")));

    private final ServiceDeclaration service;
    /** Where the services read the public key of API tokens from. */
    static final String JWT_PUBLIC_KEY = "MLOPS_JWT_PUBLIC_KEY";

    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(ServiceDeclaration service, Map<String, String> env, int port, Path log, Process process) {
        this.service = service;
        this.env = env;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the declared service {@code name} with the infrastructure's addresses plus {@code env}, and waits
     * until its started path answers.
     */
    static ServiceProcess start(String name, Map<String, String> env) {
        return start(name, env, 1);
    }

    /**
     * As {@link #start(String, Map)}, for one of {@code workers} instances the test runs side by side: a service
     * whose threads are split shares the cores among them, as {@code ./mlops up} does for MLOPS_TRAINERS.
     */
    static ServiceProcess start(String name, Map<String, String> env, int workers) {
        ServiceDeclaration service = ServiceDeclaration.of(name);
        Map<String, String> withThreads = new HashMap<>(env);
        // The services verify API tokens with the test key (TestTokens signs with its private half), never with
        // the key of a stack the test harness or ./mlops up made.
        withThreads.putIfAbsent(JWT_PUBLIC_KEY, TestTokens.publicKeyFile(Path.of("target").toAbsolutePath()).toString());
        // An OMP_NUM_THREADS of the test or of the shell that runs the tests wins, as it does for ./mlops up.
        if (!withThreads.containsKey(THREADS) && System.getenv(THREADS) == null) {
            withThreads.put(THREADS, String.valueOf(service.threads().threads(CORES, workers)));
        }
        return start(service, Map.copyOf(withThreads), freePort());
    }

    /**
     * Starts this service again, after {@link #kill()} or {@link #close()}, with the same environment and
     * port, as a supervisor restarting a crashed instance would: whatever derives from them (an instance
     * id, a transactional id) is the same as before.
     */
    ServiceProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(service.name() + " is still running (pid " + process.pid()
                    + "): kill or close it first");
        }
        return start(service, env, port);
    }

    private static ServiceProcess start(ServiceDeclaration service, Map<String, String> env, int port) {
        String name = service.name();
        Path jar = Infrastructure.repoRoot().resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (./mvnw package -pl "
                    + service.module() + ")");
        }
        try {
            Path logs = Files.createDirectories(Path.of("target/service-logs"));
            Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of("nice", "-n", String.valueOf(service.nice()),
                    javaBinary(), "-Xmx" + service.heap(), "-Dai.djl.offline=true", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            // Its own database role, as ./mlops up gives it; no other role's password in its environment.
            builder.environment().keySet().removeIf(ServiceProcess::isDatabaseLogin);
            builder.environment().putAll(Infrastructure.databaseLoginOf(name));
            useOwnMlflowAccount(service, builder.environment());
            builder.environment().putAll(kafkaLogin(name));
            builder.environment().putAll(env);
            ServiceProcess started = new ServiceProcess(service, env, port, log, builder.start());
            started.awaitHealth(service.startedPath());
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static boolean isDatabaseLogin(String variable) {
        return variable.startsWith("MLOPS_PG_") && (variable.endsWith("_USER") || variable.endsWith("_PASSWORD"));
    }

    /**
     * The service's own MLflow account instead of the admin's the tests run with, as {@code ./mlops up} gives
     * it (deploy/local/parts/services.sh): MLOPS_MLFLOW_&lt;SERVICE&gt;_USER/_PASSWORD of infra.env become its
     * MLOPS_MLFLOW_USER/_PASSWORD, and the other accounts' are not passed on; a service without an account
     * (ingestion) gets none.
     */
    private static void useOwnMlflowAccount(ServiceDeclaration service, Map<String, String> environment) {
        String prefix = "MLOPS_MLFLOW_" + service.name().replaceFirst("-\\d+$", "").toUpperCase(Locale.ROOT);
        environment.keySet().removeIf(name -> name.startsWith("MLOPS_MLFLOW_")
                && (name.endsWith("_USER") || name.endsWith("_PASSWORD")));
        String user = System.getenv(prefix + "_USER");
        if (user != null && !user.isBlank()) {
            environment.put("MLOPS_MLFLOW_USER", user);
            environment.put("MLOPS_MLFLOW_PASSWORD", System.getenv().getOrDefault(prefix + "_PASSWORD", ""));
        }
    }

    /**
     * The service's own Kafka principal, as {@code ./mlops up} gives it (deploy/local/parts/services.sh): infra.env's
     * {@code MLOPS_KAFKA_<SERVICE>_USER}/{@code _PASSWORD} become its {@code MLOPS_KAFKA_USER}/{@code _PASSWORD}, so a
     * system test runs each service with exactly its ACLs, never as the admin the test JVM holds.
     */
    private static Map<String, String> kafkaLogin(String service) {
        String prefix = "MLOPS_KAFKA_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        String user = System.getenv(prefix + "_USER");
        String password = System.getenv(prefix + "_PASSWORD");
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            throw new IllegalStateException(prefix + "_USER and " + prefix + "_PASSWORD are not set: run the system"
                    + " tests with ./mlops test, or export the variables of .mlops/infra/infra.env of ./mlops up");
        }
        return Map.of("MLOPS_KAFKA_USER", user, "MLOPS_KAFKA_PASSWORD", password);
    }

    /**
     * Waits until the service is ready, beyond started: for inference, whose declared start-up check is only
     * "live" (no champion on a fresh platform), ready means it serves a model.
     */
    ServiceProcess awaitReady() {
        awaitHealth("/q/health/ready");
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hooks, no flushing, exactly what a crash does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to end by itself (a crash, a fault-injected halt); its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(service.name() + " still runs after " + timeout.toSeconds() + " s:\n" + tail());
        }
        return process.exitValue();
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

    private void awaitHealth(String path) {
        String name = service.name();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting:\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
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
        throw new IllegalStateException(name + " did not answer " + path + " within " + READY_TIMEOUT.toSeconds()
                + " s:\n" + tail());
    }

    /** Everything the service has logged so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
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
