package dev.resnetops.orchestrator.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.apisecurity.Roles;
import dev.resnetops.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a {@code text/event-stream} answer in the background, event by event, the way a client would. */
final class SseRecorder implements AutoCloseable {

    record Event(String name, JsonNode data) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private SseRecorder(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TestTokens.forRole(Roles.VIEWER)).GET().build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(this::read);
    }

    static SseRecorder open(URI uri) {
        return new SseRecorder(uri);
    }

    int status() throws Exception {
        return response.get(20, TimeUnit.SECONDS).statusCode();
    }

    /** The next event that is not a heartbeat, or a failure after {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + timeout);
            }
            if (!event.name().equals("heartbeat")) {
                return event;
            }
        }
    }

    /** True once the server has ended the stream. */
    boolean endsWithin(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void read(HttpResponse<Stream<String>> answer) {
        String name = "message";
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = answer.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, JSON.readTree(String.join("\n", data))));
                    }
                    name = "message";
                    data.clear();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).strip());
                }
            }
            ended.complete(null);
        } catch (IOException | RuntimeException e) {
            ended.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        response.cancel(true);
    }
}
