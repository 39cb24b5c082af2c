package dev.resnetops.orchestrator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.DatasetVersionView;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowStepView;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.orchestrator.events.LiveEvent;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Server file paths (a dataset's source, its shard folder, a model's ONNX artifact) in read answers are for
 * admins only: to anyone else they map the server's disks and name the folders worth attacking. Below
 * {@code admin} each path is replaced by {@link #HIDDEN}; ids, hashes and counts stay.
 */
@ApplicationScoped
public class ServerPaths {

    public static final String HIDDEN = "(hidden: server paths need the admin role)";

    /** The fields of views, events and workflow step outputs that hold a server path ({@code onnx}: an export step's). */
    static final Set<String> PATH_FIELDS = Set.of("source", "shardLocation", "onnxLocation", "onnx");

    private static final ObjectMapper JSON = MessageCodec.mapper();

    private final SecurityIdentity caller;

    ServerPaths(SecurityIdentity caller) {
        this.caller = caller;
    }

    DatasetView shown(DatasetView dataset) {
        if (visible() || dataset == null) {
            return dataset;
        }
        DatasetVersionView v = dataset.version();
        DatasetVersionView version = v == null ? null : new DatasetVersionView(v.id(), v.contentHash(), v.format(),
                v.classes(), v.counts(), v.classCounts(), v.channels(), v.height(), v.width(), v.mean(), v.std(),
                v.shardLocation() == null ? null : HIDDEN, v.createdAt());
        return new DatasetView(dataset.id(), dataset.name(), HIDDEN, dataset.status(), dataset.error(), version,
                dataset.problems(), dataset.createdAt(), dataset.updatedAt());
    }

    Page<DatasetView> shown(Page<DatasetView> page) {
        return visible() ? page : new Page<>(page.items().stream().map(this::shown).toList(), page.page(), page.size(),
                page.total());
    }

    List<ModelVersionView> shownVersions(List<ModelVersionView> versions) {
        return visible() ? versions : versions.stream().map(m -> new ModelVersionView(m.model(), m.version(), m.jobId(),
                m.datasetVersionId(), m.top1(), m.top5(), m.parityPassed(), m.parityReport(),
                m.onnxLocation() == null ? null : HIDDEN, m.onnxSha256(), m.aliases(), m.createdAt())).toList();
    }

    WorkflowRunView shown(WorkflowRunView run) {
        if (visible() || run == null) {
            return run;
        }
        List<WorkflowStepView> steps = run.steps() == null ? null : run.steps().stream()
                .map(s -> new WorkflowStepView(s.key(), s.kind(), s.origin(), s.state(), s.attempt(), s.dependsOn(),
                        s.jobId(), hiddenCopy(s.output()), s.error(), s.nextAttemptAt(), s.startedAt(), s.finishedAt()))
                .toList();
        return new WorkflowRunView(run.id(), run.workflow(), run.state(), run.stateReason(), run.parameters(), steps,
                hiddenCopy(run.result()), run.resultMarkdown(), run.mlflowParentRunId(), run.createdAt(), run.updatedAt(),
                run.finishedAt());
    }

    Page<WorkflowRunView> shownRuns(Page<WorkflowRunView> page) {
        return visible() ? page : new Page<>(page.items().stream().map(this::shown).toList(), page.page(), page.size(),
                page.total());
    }

    private static JsonNode hiddenCopy(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        hide(copy);
        return copy;
    }

    /**
     * What a live event stream shows this caller, decided now, on the request's thread: the stream's events
     * are emitted later on the broker's thread, where the request's identity is gone.
     */
    UnaryOperator<LiveEvent> liveEventsForCaller() {
        return visible() ? UnaryOperator.identity() : ServerPaths::hidden;
    }

    private static LiveEvent hidden(LiveEvent event) {
        try {
            JsonNode tree = JSON.readTree(event.json());
            hide(tree);
            return new LiveEvent(event.name(), JSON.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the live event '" + event.name() + "' as JSON", e);
        }
    }

    private static void hide(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String field : PATH_FIELDS) {
                if (object.hasNonNull(field)) {
                    object.put(field, HIDDEN);
                }
            }
        }
        node.forEach(ServerPaths::hide);
    }

    private boolean visible() {
        return caller.hasRole(Roles.ADMIN);
    }
}
