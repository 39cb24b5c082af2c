package dev.resnetops.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.contracts.messages.TrainingStarted;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.trainer.config.TrainerConfig;
import dev.resnetops.trainer.repository.JobStore;
import dev.resnetops.trainer.tracking.TrackingItem;
import dev.resnetops.trainer.tracking.TrackingOutbox;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.train.Checkpoint;
import dev.resnetops.vision.train.EpochMetrics;
import dev.resnetops.vision.train.RunFiles;
import dev.resnetops.vision.train.TrainingResult;
import dev.resnetops.vision.train.TrainingRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one training job on this worker, start to end: claims it (lease), trains it with the vision
 * library (resuming from the job folder's checkpoint if an earlier attempt left one), records every
 * epoch, and ends it COMPLETED, FAILED (with the reason) or CANCELLED. Whatever goes wrong with one job
 * is that job's failure; the worker goes on with the next.
 */
@ApplicationScoped
public class JobRunner {

    /** A job this worker has claimed: its lease is held until {@link #train} ends. */
    public record Claim(StartTraining command, int attempt, Path jobDir) {
    }

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final JobStore jobs;
    private final OutboxWriter outbox;
    private final TrackingOutbox tracking;
    private final EpochRecorder epochs;
    private final TrainerConfig config;
    private final WorkerIdentity worker;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final CodeVersion codeVersion;

    JobRunner(JobStore jobs, OutboxWriter outbox, TrackingOutbox tracking, EpochRecorder epochs, TrainerConfig config,
              WorkerIdentity worker, ObjectMapper json, MeterRegistry metrics, CodeVersion codeVersion) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.tracking = tracking;
        this.epochs = epochs;
        this.config = config;
        this.worker = worker;
        this.json = json;
        this.metrics = metrics;
        this.codeVersion = codeVersion;
    }

    /**
     * Takes the job of {@code command} for this worker if there is something to do: a QUEUED job (new,
     * or requeued after its worker died). A finished job, one running on a live worker, or one cancelled
     * before it started needs nothing from this command (a dead worker's job is requeued with a new
     * command by the {@link LeaseReaper}).
     */
    public Optional<Claim> claim(StartTraining command) {
        UUID jobId = command.jobId();
        Optional<JobStore.Snapshot> before = jobs.snapshot(jobId);
        if (before.isEmpty()) {
            LOG.warnf("job %s: not in the database; ignoring its StartTraining command", jobId);
            return Optional.empty();
        }
        JobStore.Snapshot job = before.get();
        if (job.state().isTerminal()) {
            LOG.infof("job %s: already %s; nothing to do", jobId, job.state());
            return Optional.empty();
        }
        if (job.cancelRequested()) {
            if (job.state() == JobState.QUEUED) {
                end(jobId, JobState.CANCELLED, "cancelled before a worker started it", null, job.mlflowRunId(), 0);
            }
            return Optional.empty();
        }
        String device = describe(TrainingRun.defaultDevice());
        Path jobDir = Path.of(config.jobsDir()).toAbsolutePath().resolve(jobId.toString());
        int resumedFrom = completedEpochs(jobDir);
        int totalEpochs = command.config().path("epochs").asInt(0);
        Optional<Integer> attempt = QuarkusTransaction.requiringNew().call(() -> {
            Optional<Integer> claimed = jobs.claim(jobId, worker.id(), device, config.leaseDuration());
            claimed.ifPresent(n -> {
                jobs.appendHistory(jobId, JobState.RUNNING, "worker " + worker.id() + " on " + device + ", attempt " + n
                        + (resumedFrom > 0 ? ", resuming after epoch " + resumedFrom : ""));
                outbox.append(TrainingStarted.of(jobId, n, worker.id(), device, resumedFrom, totalEpochs));
                if (job.mlflowRunId() == null && n == 1) {
                    tracking.append(jobId, startRun(command, device));
                }
            });
            return claimed;
        });
        if (attempt.isEmpty()) {
            LOG.infof("job %s: %s elsewhere or finished; this command needs nothing", jobId,
                    jobs.snapshot(jobId).map(s -> s.state() + " (" + s.leaseOwner() + ")").orElse("gone"));
            return Optional.empty();
        }
        LOG.infof("job %s: attempt %d on %s (%s)%s", jobId, attempt.get(), device, worker.id(),
                resumedFrom > 0 ? ", resuming after epoch " + resumedFrom : "");
        return Optional.of(new Claim(command, attempt.get(), jobDir));
    }

    /** Trains a claimed job to its end: COMPLETED, FAILED with the reason, CANCELLED, or requeued on shutdown. */
    public void train(Claim claim, CancelSwitch cancel) {
        train(claim.command(), claim.jobDir(), cancel);
    }

    private void train(StartTraining command, Path jobDir, CancelSwitch cancel) {
        UUID jobId = command.jobId();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-" + jobId.toString().substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(() -> renew(jobId, cancel), config.heartbeat().toMillis(),
                config.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        String runId = null;
        try {
            TrainingConfig trainingConfig = TrainingConfigCodec.fromTree(command.config());
            Path shards = Path.of(command.shardLocation());
            if (!Files.isDirectory(shards)) {
                throw new JobFailure("the dataset version's shards are missing at " + shards
                        + " (was the data folder moved or deleted? register the dataset again)");
            }
            ShardedDataset data = ShardedDataset.open(shards);
            Files.createDirectories(jobDir);
            Path configFile = jobDir.resolve("config.yaml");
            if (!Files.exists(configFile)) {
                Files.writeString(configFile, TrainingConfigCodec.toYaml(trainingConfig));
            }
            recordRestoredEpochs(jobId, jobDir);
            RunFiles files = new RunFiles(jobDir, data.manifest().classes());
            TrainingResult result = TrainingRun.builder()
                    .setConfig(trainingConfig)
                    .setDataset(data)
                    .setOutputDir(jobDir)
                    .addListener(new ProgressReporter(jobId, jobs, outbox, epochs, json, config.progressInterval()))
                    .addListener(files)
                    .optCancellation(cancel::tripped)
                    .build()
                    .run();
            runId = jobs.snapshot(jobId).map(JobStore.Snapshot::mlflowRunId).orElse(null);
            if (result.stopped()) {
                stopped(jobId, cancel, result, runId);
                return;
            }
            files.writeEvaluation(result.finalEvaluation());
            complete(jobId, jobDir, files, result, runId);
        } catch (JobFailure e) {
            fail(jobId, e.getMessage(), runId);
        } catch (OutOfMemoryError e) {
            fail(jobId, "out of memory: " + e.getMessage() + "; try a smaller batch size or input size", runId);
        } catch (Exception e) {
            LOG.errorf(e, "job %s failed", jobId);
            fail(jobId, describe(e), runId);
        } finally {
            heartbeat.shutdownNow();
        }
    }

    private void stopped(UUID jobId, CancelSwitch cancel, TrainingResult result, String runId) {
        CancelSwitch.Reason why = cancel.reason();
        if (why == CancelSwitch.Reason.CANCELLED) {
            end(jobId, JobState.CANCELLED, "cancelled by request after " + result.epochsCompleted() + " epochs",
                    null, runId, result.epochsCompleted());
            return;
        }
        if (why == CancelSwitch.Reason.LEASE_LOST) {
            LOG.warnf("job %s: lease lost (another worker took it over); stopped here", jobId);
            return;
        }
        // A clean shutdown hands the job back at once instead of letting its lease run out.
        QuarkusTransaction.requiringNew().run(() -> jobs.requeue(jobId, worker.id(), "worker " + worker.id()
                        + " shut down after epoch " + result.epochsCompleted() + "; the job resumes from that checkpoint")
                .ifPresent(outbox::append));
        LOG.infof("job %s: stopped for shutdown after epoch %d; requeued to resume from the checkpoint", jobId,
                result.epochsCompleted());
    }

    private void complete(UUID jobId, Path jobDir, RunFiles files, TrainingResult result, String runId) {
        EvaluationReport report = result.finalEvaluation();
        Path checkpoint = result.checkpointDir();
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(files.metricsCsv().toString(), "");
        if (Files.exists(files.trainingCurve())) {
            artifacts.put(files.trainingCurve().toString(), "");
        }
        artifacts.put(jobDir.resolve("config.yaml").toString(), "");
        artifacts.put(checkpoint.toString(), "checkpoint");
        QuarkusTransaction.requiringNew().run(() -> {
            jobs.finish(jobId, JobState.COMPLETED, String.format(java.util.Locale.ROOT,
                    "%d epochs, test top-1 %.4f, top-5 %.4f", result.epochsCompleted(), report.top1(), report.top5()),
                    checkpoint.toString());
            outbox.append(TrainingFinished.completed(jobId, checkpoint.toString(), result.epochsCompleted(),
                    report.top1(), report.top5(), runId));
            tracking.append(jobId, new TrackingItem.Artifacts(artifacts));
            tracking.append(jobId, new TrackingItem.FinishRun("FINISHED", System.currentTimeMillis()));
        });
        metrics.counter("trainer.jobs", "outcome", "completed").increment();
        LOG.infof("job %s: COMPLETED (%d epochs, top-1 %.4f, top-5 %.4f)", jobId, result.epochsCompleted(),
                report.top1(), report.top5());
    }

    private void fail(UUID jobId, String reason, String runId) {
        LOG.warnf("job %s: FAILED: %s", jobId, reason);
        end(jobId, JobState.FAILED, reason, null, runId, 0);
    }

    private void end(UUID jobId, JobState state, String reason, String checkpoint, String runId, int epochsDone) {
        QuarkusTransaction.requiringNew().run(() -> {
            jobs.finish(jobId, state, reason, checkpoint);
            outbox.append(TrainingFinished.ended(jobId, state, reason, epochsDone, runId));
            tracking.append(jobId, new TrackingItem.FinishRun(state == JobState.CANCELLED ? "KILLED" : "FAILED",
                    System.currentTimeMillis()));
        });
        metrics.counter("trainer.jobs", "outcome", state.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    private void renew(UUID jobId, CancelSwitch cancel) {
        try {
            if (!jobs.renewLease(jobId, worker.id(), config.leaseDuration())) {
                cancel.trip(CancelSwitch.Reason.LEASE_LOST);
            } else if (jobs.cancelRequested(jobId)) {
                // The Kafka control message normally arrives first; this catches one that was missed.
                cancel.trip(CancelSwitch.Reason.CANCELLED);
            }
        } catch (Exception e) {
            LOG.warnf("job %s: cannot renew the lease: %s", jobId, e.getMessage());
        }
    }

    /** Epochs an earlier attempt finished (and checkpointed) but may not have recorded before it died. */
    private void recordRestoredEpochs(UUID jobId, Path jobDir) {
        Optional<Path> checkpoint = Checkpoint.locate(jobDir.resolve(TrainingRun.CHECKPOINT_DIR));
        if (checkpoint.isEmpty()) {
            return;
        }
        List<EpochMetrics> history = Checkpoint.readState(checkpoint.get()).history();
        history.forEach(m -> epochs.record(jobId, m));
    }

    private static int completedEpochs(Path jobDir) {
        return Checkpoint.locate(jobDir.resolve(TrainingRun.CHECKPOINT_DIR))
                .map(dir -> Checkpoint.readState(dir).epochsCompleted()).orElse(0);
    }

    private TrackingItem.StartRun startRun(StartTraining command, String device) {
        TrainingConfig trainingConfig = TrainingConfigCodec.fromTree(command.config());
        String shortId = command.jobId().toString().substring(0, 8);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("resnetops.job_id", command.jobId().toString());
        tags.put("resnetops.dataset_version", command.datasetVersionId().toString());
        tags.put("resnetops.dataset_shards", command.shardLocation());
        tags.put("resnetops.model_preset", trainingConfig.model());
        tags.put("resnetops.device", device);
        tags.put("resnetops.worker_host", worker.host());
        tags.put("resnetops.worker", worker.id());
        tags.put("mlflow.source.git.commit", codeVersion.commit());
        tags.put("mlflow.source.name", "resnetops trainer");
        return new TrackingItem.StartRun(command.experiment(), trainingConfig.model() + "-" + shortId,
                trainingConfig.toParameters(), tags);
    }

    private static String describe(ai.djl.Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    private static String describe(Exception e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        // A configuration's message lists every bad field and stays whole; others (a native library's) can run to pages.
        return e instanceof InvalidConfigException ? message
                : message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
    }
}
