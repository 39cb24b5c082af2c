package dev.resnetops.orchestrator.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.messages.DatasetFailed;
import dev.resnetops.contracts.messages.DatasetReady;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.orchestrator.service.DatasetService;
import dev.resnetops.orchestrator.service.JobService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The live views of a job and of a dataset: a snapshot as the REST API returns it, then the platform's
 * events about it as they happen, then a last snapshot once it has ended, and the stream ends.
 * Clients (the CLI's {@code --follow} and {@code --wait}) draw from the events and need not poll.
 */
@ApplicationScoped
public class LiveViews {

    /** Often enough that proxies and load balancers do not close a quiet stream (most wait 60 s). */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final PlatformEventFeed feed;
    private final JobService jobs;
    private final DatasetService datasets;
    private final ObjectMapper json;

    LiveViews(PlatformEventFeed feed, JobService jobs, DatasetService datasets, ObjectMapper json) {
        this.feed = feed;
        this.jobs = jobs;
        this.datasets = datasets;
        this.json = json;
    }

    /**
     * {@code job}, then the job's TrainingStarted, TrainingProgress, EpochCompleted and TrainingFinished
     * events, then {@code job} again after TrainingFinished. A job that has already ended gets its
     * snapshot only.
     */
    public Multi<LiveEvent> job(UUID id) {
        return view(id, "job", () -> jobs.get(id), (JobView job) -> job.state().isTerminal(),
                message -> message instanceof TrainingFinished);
    }

    /** {@code dataset}, then its DatasetReady or DatasetFailed event, then {@code dataset} again. */
    public Multi<LiveEvent> dataset(UUID id) {
        return view(id, "dataset", () -> datasets.get(id), (DatasetView dataset) -> dataset.status() != DatasetStatus.INGESTING,
                message -> message instanceof DatasetReady || message instanceof DatasetFailed);
    }

    private <T> Multi<LiveEvent> view(UUID id, String name, Supplier<T> snapshot, Predicate<T> ended,
                                      Predicate<Message> ending) {
        return Multi.createFrom().emitter(emitter -> {
            // Listen before reading the snapshot: an event in between is then sent twice, never missed.
            Cancellable events = feed.about(id.toString()).subscribe().with(message -> {
                emitter.emit(new LiveEvent(typeOf(message), MessageCodec.toJson(message)));
                if (ending.test(message)) {
                    emitter.emit(snapshotEvent(name, snapshot.get()));
                    emitter.complete();
                }
            }, emitter::fail);
            Cancellable heartbeats = Multi.createFrom().ticks().every(HEARTBEAT).subscribe()
                    .with(tick -> emitter.emit(new LiveEvent("heartbeat", "{\"at\":\"" + Instant.now() + "\"}")));
            emitter.onTermination(() -> {
                events.cancel();
                heartbeats.cancel();
            });
            T current = snapshot.get();
            emitter.emit(snapshotEvent(name, current));
            if (ended.test(current)) {
                emitter.complete();
            }
        });
    }

    /** The type name the message carries on Kafka (its "type" field), which is its record's class name. */
    private static String typeOf(Message message) {
        return message.getClass().getSimpleName();
    }

    private LiveEvent snapshotEvent(String name, Object view) {
        try {
            return new LiveEvent(name, json.writeValueAsString(view));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the " + name + " snapshot as JSON", e);
        }
    }
}
