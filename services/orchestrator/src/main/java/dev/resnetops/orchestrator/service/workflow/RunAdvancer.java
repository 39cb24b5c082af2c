package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.repository.WorkflowRunRepository;
import dev.resnetops.orchestrator.repository.WorkflowRunRow;
import dev.resnetops.orchestrator.repository.WorkflowStepRepository;
import dev.resnetops.orchestrator.repository.WorkflowStepRow;
import dev.resnetops.orchestrator.service.RequestRefused;
import dev.resnetops.workflows.definition.StepKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One step of the engine for one run, in one transaction under the run's row lock: observe RUNNING
 * steps, skip steps whose dependencies cannot succeed any more, start steps whose dependencies have
 * succeeded (at most {@code maxParallel} trainings at once), and end the run when no step is left.
 * Whatever happens commits together or not at all, so an orchestrator that dies mid-way leaves the
 * run exactly as the last commit did, and the next pass (here or on another instance) carries on.
 */
@ApplicationScoped
public class RunAdvancer {

    private static final Logger LOG = Logger.getLogger(RunAdvancer.class);
    private static final Set<WorkflowStepState> DEAD_ENDS =
            EnumSet.of(WorkflowStepState.FAILED, WorkflowStepState.SKIPPED, WorkflowStepState.CANCELLED);

    private final WorkflowRunRepository runs;
    private final WorkflowStepRepository steps;
    private final StepObserver observer;
    private final StepStarter starter;
    private final RetryPolicy retries;
    private final RunResult results;
    private final OrchestratorConfig config;

    RunAdvancer(WorkflowRunRepository runs, WorkflowStepRepository steps, StepObserver observer, StepStarter starter,
                RetryPolicy retries, RunResult results, OrchestratorConfig config) {
        this.runs = runs;
        this.steps = steps;
        this.observer = observer;
        this.starter = starter;
        this.retries = retries;
        this.results = results;
        this.config = config;
    }

    /** Advances the run if it is RUNNING and no other transaction holds it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void advance(UUID runId) {
        if (!runs.lockIfRunningAndFree(runId)) {
            return;
        }
        WorkflowRunRow run = runs.find(runId).orElseThrow();
        List<WorkflowStepRow> rows = steps.forRun(runId);
        Map<String, WorkflowStepState> states = new HashMap<>();
        Map<String, JsonNode> outputs = new HashMap<>();
        for (WorkflowStepRow step : rows) {
            states.put(step.key(), step.state());
            if (step.state() == WorkflowStepState.SUCCEEDED) {
                outputs.put(step.key(), step.output());
            }
        }
        Instant now = Instant.now();
        boolean changed = false;
        // When a step may start again: the rows were read before this pass scheduled any retry, so a step
        // that failed just now must not be started again from its stale next_attempt_at.
        Map<String, Instant> notBefore = new HashMap<>();
        for (WorkflowStepRow step : rows) {
            if (step.nextAttemptAt() != null) {
                notBefore.put(step.key(), step.nextAttemptAt());
            }
        }
        for (WorkflowStepRow step : rows) {
            if (step.state() == WorkflowStepState.RUNNING) {
                changed |= apply(step, step.attempt(), observer.observe(step, outputs), states, outputs, notBefore,
                        now);
            }
        }
        int trainings = (int) rows.stream().filter(s -> s.kind() == StepKind.TRAIN)
                .filter(s -> states.get(s.key()) == WorkflowStepState.RUNNING).count();
        int maxParallel = Optional.ofNullable(run.maxParallel()).orElse(config.workflows().defaultMaxParallel());
        for (WorkflowStepRow step : rows) {
            if (states.get(step.key()) != WorkflowStepState.PENDING) {
                continue;
            }
            Optional<String> deadDependency = step.dependsOn().stream()
                    .filter(key -> DEAD_ENDS.contains(states.get(key))).findFirst();
            if (deadDependency.isPresent()) {
                String why = "skipped: step " + deadDependency.get() + " " + states.get(deadDependency.get())
                        .name().toLowerCase(Locale.ROOT);
                steps.end(step.id(), WorkflowStepState.SKIPPED, why);
                states.put(step.key(), WorkflowStepState.SKIPPED);
                changed = true;
                continue;
            }
            boolean ready = step.dependsOn().stream().allMatch(key -> states.get(key) == WorkflowStepState.SUCCEEDED)
                    && (!notBefore.containsKey(step.key()) || !notBefore.get(step.key()).isAfter(now))
                    && (step.kind() != StepKind.TRAIN || trainings < maxParallel);
            if (!ready) {
                continue;
            }
            changed = true;
            try {
                starter.start(step, outputs);
                states.put(step.key(), WorkflowStepState.RUNNING);
                if (step.kind() == StepKind.TRAIN) {
                    trainings++;
                }
            } catch (RequestRefused refused) {
                // The attempt counts although nothing started: a dataset that never becomes READY must
                // not keep the run waiting for ever.
                steps.start(step.id(), null, null);
                boolean retryable = refused.reason() == RequestRefused.Reason.CONFLICT
                        || refused.reason() == RequestRefused.Reason.UNAVAILABLE;
                apply(step, step.attempt() + 1, StepOutcome.failed(refused.getMessage(), retryable), states, outputs,
                        notBefore, now);
            }
        }
        if (states.values().stream().allMatch(WorkflowStepState::isTerminal)) {
            finish(run);
        } else if (changed) {
            runs.touch(runId);
        }
    }

    /** Records an observed outcome; answers whether anything changed. */
    private boolean apply(WorkflowStepRow step, int attempt, StepOutcome outcome, Map<String, WorkflowStepState> states,
                          Map<String, JsonNode> outputs, Map<String, Instant> notBefore, Instant now) {
        switch (outcome.status()) {
            case SUCCEEDED:
                steps.succeed(step.id(), outcome.output());
                states.put(step.key(), WorkflowStepState.SUCCEEDED);
                outputs.put(step.key(), outcome.output());
                return true;
            case FAILED:
                if (outcome.retryable() && retries.allowsAnother(attempt)) {
                    Instant next = retries.nextAttemptAfter(attempt, now);
                    LOG.warnf("workflow run %s: step %s attempt %d failed, retrying at %s: %s", step.runId(), step.key(),
                            attempt, next, outcome.error());
                    steps.retryLater(step.id(), "attempt " + attempt + " failed: " + outcome.error(), next);
                    states.put(step.key(), WorkflowStepState.PENDING);
                    notBefore.put(step.key(), next);
                } else {
                    String error = outcome.retryable()
                            ? "failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + outcome.error()
                            : outcome.error();
                    LOG.warnf("workflow run %s: step %s %s", step.runId(), step.key(), error);
                    steps.end(step.id(), WorkflowStepState.FAILED, error);
                    states.put(step.key(), WorkflowStepState.FAILED);
                }
                return true;
            default:
                return false;
        }
    }

    private void finish(WorkflowRunRow run) {
        List<WorkflowStepRow> latest = steps.forRun(run.id()); // with this pass's changes
        Optional<WorkflowStepRow> failed = latest.stream()
                .filter(step -> step.state() == WorkflowStepState.FAILED).findFirst();
        WorkflowRunState state = failed.isPresent() ? WorkflowRunState.FAILED : WorkflowRunState.COMPLETED;
        String reason = failed.map(step -> "step " + step.key() + " " + step.error()).orElse(null);
        runs.finish(run.id(), state, reason, results.build(run, latest).orElse(null));
        LOG.infof("workflow run %s (%s) %s%s", run.id(), run.workflow(), state, reason == null ? "" : ": " + reason);
    }
}
