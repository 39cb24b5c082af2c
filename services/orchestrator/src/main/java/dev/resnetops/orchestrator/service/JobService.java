package dev.resnetops.orchestrator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.api.SubmitJobRequest;
import dev.resnetops.contracts.messages.CancelTraining;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.orchestrator.repository.JobRepository;
import dev.resnetops.store.jobs.JobSnapshot;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.store.init.InitReferences;
import dev.resnetops.store.init.UnknownInitException;
import dev.resnetops.store.jobs.NewJob;
import dev.resnetops.vision.config.ConfigProblem;
import dev.resnetops.vision.config.InitSource;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Submitting, reading and cancelling training jobs. A job is validated with the very rules training
 * applies ({@link TrainingConfig}), stored QUEUED with its full configuration, and its StartTraining
 * command leaves through the outbox in the same transaction.
 */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);
    private static final Pattern EXPERIMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._/-]{0,99}");

    private final JobRepository jobs;
    private final JobStore store;
    private final DatasetService datasets;
    private final OutboxWriter outbox;
    private final Idempotency idempotency;
    private final MeterRegistry metrics;
    private final InitReferences initReferences;

    JobService(JobRepository jobs, JobStore store, DatasetService datasets, OutboxWriter outbox, Idempotency idempotency,
               MeterRegistry metrics, InitReferences initReferences) {
        this.jobs = jobs;
        this.store = store;
        this.datasets = datasets;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.initReferences = initReferences;
    }

    public Idempotency.Outcome<JobView> submit(SubmitJobRequest request, Optional<String> idempotencyKey) {
        if (request == null) {
            throw RequestRefused.invalid("body", "a JSON object with 'dataset' and 'config' is required");
        }
        List<Problem> problems = new ArrayList<>();
        if (request.dataset() == null || request.dataset().isBlank()) {
            problems.add(new Problem("dataset", "required: a dataset id or name (GET /datasets lists them)"));
        }
        if (request.experiment() != null && !EXPERIMENT.matcher(request.experiment()).matches()) {
            problems.add(new Problem("experiment", "1-100 characters: letters, digits, space, '.', '_', '/', '-'"));
        }
        TrainingConfig config = null;
        try {
            JsonNode tree = request.config() == null || request.config().isNull()
                    ? JsonNodeFactory.instance.objectNode() : request.config();
            config = TrainingConfigCodec.fromTree(tree);
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> problems.add(configProblem(p)));
        }
        if (!problems.isEmpty()) {
            throw RequestRefused.invalid(problems);
        }
        JsonNode fullConfig = TrainingConfigCodec.toTree(config);
        String model = config.model();
        String canonical = request.dataset() + "\n" + request.experiment() + "\n" + fullConfig;
        Idempotency.Outcome<JobView> outcome = idempotency.run("jobs", idempotencyKey, canonical,
                () -> create(request, model, fullConfig), id -> jobs.find(id).orElseThrow());
        if (!outcome.replayed()) {
            metrics.counter("jobs.submitted", "model", model).increment();
            LOG.infof("job %s submitted: %s on dataset %s", outcome.value().id(), model, request.dataset());
        }
        return outcome;
    }

    private UUID create(SubmitJobRequest request, String model, JsonNode config) {
        return enqueue(request.dataset(), request.experiment(), model, config, null);
    }

    /**
     * Creates a QUEUED job and its StartTraining command in the caller's transaction: what a workflow's
     * train step does, so the step and its job commit together or not at all.
     *
     * @param config         a configuration TrainingConfig accepted, every field filled in
     * @param workflowStepId the step that starts it, or null
     * @throws RequestRefused when the dataset is unknown or not READY, or the init names a job, model version or
     *     uploaded file that does not exist
     */
    // A refusal leaves the caller's transaction usable: the workflow engine records it as the step's failure.
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = RequestRefused.class)
    public UUID enqueue(String datasetIdOrName, String experiment, String model, JsonNode config, UUID workflowStepId) {
        DatasetView dataset = datasets.resolve(datasetIdOrName);
        if (dataset.status() != DatasetStatus.READY) {
            String why = dataset.status() == DatasetStatus.FAILED
                    ? "its ingestion failed: " + dataset.error() + "; register a fixed source"
                    : "it is still being ingested; submit the job when GET /datasets/" + dataset.id() + " says READY";
            throw RequestRefused.conflict("dataset '" + dataset.name() + "' (" + dataset.id() + ") is "
                    + dataset.status() + ": " + why);
        }
        checkInit(config);
        UUID id = UUID.randomUUID();
        String runExperiment = experiment != null ? experiment : dataset.name();
        store.insertQueued(new NewJob(id, dataset.id(), dataset.version().id(), model, config, runExperiment,
                workflowStepId), workflowStepId == null ? "submitted" : "submitted by workflow step " + workflowStepId);
        outbox.append(StartTraining.of(id, dataset.version().id(), dataset.version().shardLocation(), config,
                runExperiment));
        return id;
    }

    /**
     * What the init names must exist now; the trainer resolves it again at the start (an alias may move
     * in between). A path is the trainer's to read, so it can only be checked for being absolute here.
     */
    private void checkInit(JsonNode config) {
        String init = config.path("init").asText("");
        InitSource source = InitSource.parse(init);
        if (source instanceof InitSource.LocalPath local && !Path.of(local.path()).isAbsolute()) {
            throw RequestRefused.invalid("config.init", "'" + init + "' is a relative path; the trainer reads it on its"
                    + " own machine, so give an absolute path there, or upload the file (PUT /weights/{name}) and use"
                    + " weights:<name>");
        }
        if (source.needsPlatform()) {
            try {
                initReferences.resolve(source);
            } catch (UnknownInitException e) {
                throw RequestRefused.invalid("config.init", e.getMessage());
            }
        }
    }

    public JobView get(UUID id) {
        return jobs.find(id).orElseThrow(() -> RequestRefused.notFound("no job " + id));
    }

    /** Every finished epoch of the job, in order. */
    public List<EpochMetricsView> metrics(UUID id) {
        get(id);
        return jobs.metrics(id);
    }

    public Page<JobView> list(Optional<JobState> state, int page, int size) {
        return jobs.list(state, page, size);
    }

    /**
     * A queued job is cancelled at once; a running one is asked to stop (its worker stops within a
     * training step and records CANCELLED). Cancelling twice is harmless; a finished job cannot be.
     */
    @Transactional
    public JobView cancel(UUID id) {
        JobSnapshot lock = store.lock(id).orElseThrow(() -> RequestRefused.notFound("no job " + id));
        if (lock.state().isTerminal()) {
            throw RequestRefused.conflict("job " + id + " is already " + lock.state() + "; there is nothing to cancel");
        }
        if (lock.state() == JobState.QUEUED) {
            store.cancelQueued(id, "cancelled by request before it started");
            outbox.append(CancelTraining.of(id, "cancelled by request before it started"));
        } else if (!lock.cancelRequested()) {
            store.requestCancel(id);
            outbox.append(CancelTraining.of(id, "cancelled by request"));
        }
        return jobs.find(id).orElseThrow();
    }

    /**
     * A configuration problem as the API reports it: under the request's own field ("config.epochs", or
     * "config" for the configuration as a whole), with the rule and the value found typed.
     */
    private static Problem configProblem(ConfigProblem problem) {
        String field = problem.field() == null ? "config" : "config." + problem.field();
        return new Problem(field, problem.message(), problem.rule().name(), problem.found());
    }
}
