package dev.resnetops.cli.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.messages.MessageCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the orchestrator on 127.0.0.1: canned JSON replies per method and path (queued; the
 * last one repeats) and a record of every request it received.
 */
final class FakePlatformApi implements AutoCloseable {

    static final ObjectMapper JSON = MessageCodec.mapper();

    record Recorded(String method, String path, String query, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("request body is not JSON: " + body, e);
            }
        }
    }

    private record Reply(int status, String body, Duration delay, String contentType) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private FakePlatformApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakePlatformApi start() {
        try {
            return new FakePlatformApi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakePlatformApi reply(String method, String path, int status, Object body) {
        return replyAfter(Duration.ZERO, method, path, status, body);
    }

    FakePlatformApi replyAfter(Duration delay, String method, String path, int status, Object body) {
        String text;
        try {
            text = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        replies.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
                .add(new Reply(status, text, delay, "application/json"));
        return this;
    }

    /** A {@code text/event-stream} answer: each event's name and data object, then the stream ends. */
    FakePlatformApi replyEvents(String path, List<Map.Entry<String, Object>> events) {
        StringBuilder stream = new StringBuilder();
        try {
            for (Map.Entry<String, Object> event : events) {
                stream.append("event: ").append(event.getKey()).append('\n')
                        .append("data: ").append(JSON.writeValueAsString(event.getValue())).append("\n\n");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        replies.computeIfAbsent("GET " + path, k -> new ArrayDeque<>())
                .add(new Reply(200, stream.toString(), Duration.ZERO, "text/event-stream"));
        return this;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The one request to this method and path; fails the test if there were none or several. */
    Recorded only(String method, String path) {
        List<Recorded> matching = requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + method + " " + path + ", got " + matching.size() + " in " + requests);
        }
        return matching.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Headers headers = new Headers();
            headers.putAll(exchange.getRequestHeaders());
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Recorded(method, path, exchange.getRequestURI().getRawQuery(), headers, body));
            Reply reply = next(method + " " + path);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException | InterruptedException e) {
            // The client gave up on a delayed reply: that is what the timeout tests want.
        }
    }

    private Reply next(String route) throws JsonProcessingException {
        Deque<Reply> queue = replies.get(route);
        if (queue == null || queue.isEmpty()) {
            return new Reply(404, JSON.writeValueAsString(ApiError.of(404, "Not Found", "no fake reply for " + route)),
                    Duration.ZERO, "application/json");
        }
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
