package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.api.RegisterDatasetRequest;
import dev.resnetops.orchestrator.repository.WorkflowStepRepository;
import dev.resnetops.orchestrator.repository.WorkflowStepRow;
import dev.resnetops.orchestrator.service.DatasetService;
import dev.resnetops.orchestrator.service.JobService;
import dev.resnetops.orchestrator.service.RequestRefused;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a step whose dependencies have succeeded, in the engine's transaction: a train step's job
 * (row, history and StartTraining in the outbox) is created in the same transaction that marks the
 * step RUNNING with the job's id, so a crash can neither lose the job nor start it twice.
 */
@ApplicationScoped
class StepStarter {

    private final WorkflowStepRepository steps;
    private final JobService jobs;
    private final DatasetService datasets;

    StepStarter(WorkflowStepRepository steps, JobService jobs, DatasetService datasets) {
        this.steps = steps;
        this.jobs = jobs;
        this.datasets = datasets;
    }

    /**
     * @throws RequestRefused when the step cannot start (unknown dataset, dataset not READY, bad source);
     *                        nothing was written then
     */
    void start(WorkflowStepRow step, Map<String, JsonNode> outputs) {
        ObjectNode inputs = step.planned().inputsWith(outputs);
        switch (step.kind()) {
            case TRAIN: {
                JsonNode config = inputs.get("config");
                String experiment = inputs.hasNonNull("experiment") ? inputs.get("experiment").asText() : null;
                UUID job = jobs.enqueue(inputs.path("dataset").asText(), experiment, config.path("model").asText(),
                        config, step.id());
                steps.start(step.id(), job, null);
                break;
            }
            case EVALUATE:
            case EXPORT:
                // Nothing to submit: the evaluator handles every completed job; the step waits for its record.
                steps.start(step.id(), UUID.fromString(outputs.get(inputs.path("train").asText()).path("job").asText()),
                        null);
                break;
            case INGEST: {
                UUID dataset = datasets.startIngestion(new RegisterDatasetRequest(inputs.path("name").asText(),
                        inputs.path("source").asText()));
                steps.start(step.id(), null, JsonNodeFactory.instance.objectNode().put("dataset", dataset.toString()));
                break;
            }
            case PROMOTE:
                steps.start(step.id(), null, null);
                break;
            default:
                throw new IllegalStateException("step " + step.key() + " has kind " + step.kind() + ", which never runs");
        }
    }
}
