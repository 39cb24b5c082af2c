package dev.resnetops.orchestrator.service;

import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.api.RegisterDatasetRequest;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.repository.DatasetRepository;
import dev.resnetops.store.datasets.DatasetStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Registering dataset sources and reading their status. Registration checks what can be checked at
 * once (name, the path exists and is readable, a known archive type) and hands the real work to the
 * ingestion service through an IngestDataset command.
 */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final List<String> ARCHIVES = List.of(".zip", ".tar", ".tar.gz", ".tgz");

    private final DatasetRepository datasets;
    private final DatasetStore store;
    private final OutboxWriter outbox;
    private final Idempotency idempotency;
    private final OrchestratorConfig config;
    private final MeterRegistry metrics;

    DatasetService(DatasetRepository datasets, DatasetStore store, OutboxWriter outbox, Idempotency idempotency,
                   OrchestratorConfig config, MeterRegistry metrics) {
        this.datasets = datasets;
        this.store = store;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.config = config;
        this.metrics = metrics;
    }

    public Idempotency.Outcome<DatasetView> register(RegisterDatasetRequest request, Optional<String> key) {
        if (request == null) {
            throw RequestRefused.invalid("body", "a JSON object with 'name' and 'source' is required");
        }
        Path source = checked(request);
        String canonical = request.name() + "\n" + source;
        Idempotency.Outcome<DatasetView> outcome = idempotency.run("datasets", key, canonical,
                () -> insert(request.name(), source), id -> datasets.find(id).orElseThrow());
        if (!outcome.replayed()) {
            metrics.counter("datasets.registered").increment();
            LOG.infof("dataset %s '%s' registered from %s", outcome.value().id(), request.name(), source);
        }
        return outcome;
    }

    /**
     * Registers a source in the caller's transaction: what a workflow's ingest step does, so the step
     * and the registration commit together.
     *
     * @throws RequestRefused when the name or source is invalid
     */
    // A refusal leaves the caller's transaction usable: the workflow engine records it as the step's failure.
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = RequestRefused.class)
    public UUID startIngestion(RegisterDatasetRequest request) {
        UUID id = insert(request.name(), checked(request));
        metrics.counter("datasets.registered").increment();
        LOG.infof("dataset %s '%s' registered from %s by a workflow", id, request.name(), request.source());
        return id;
    }

    private Path checked(RegisterDatasetRequest request) {
        List<Problem> problems = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            problems.add(new Problem("name", "required: 1-64 characters, letters, digits, '.', '_', '-', starting"
                    + " with a letter or digit"));
        }
        Path source = checkSource(request.source(), problems);
        if (!problems.isEmpty()) {
            throw RequestRefused.invalid(problems);
        }
        return source;
    }

    private UUID insert(String name, Path source) {
        UUID id = UUID.randomUUID();
        store.register(id, name, source.toString());
        outbox.append(IngestDataset.of(id, name, source.toString()));
        return id;
    }

    public DatasetView get(UUID id) {
        return datasets.find(id).orElseThrow(() -> RequestRefused.notFound("no dataset " + id));
    }

    /** A dataset by id, or the newest registration with that name. */
    public DatasetView resolve(String idOrName) {
        Optional<DatasetView> found;
        try {
            found = datasets.find(UUID.fromString(idOrName));
        } catch (IllegalArgumentException notAnId) {
            found = datasets.findNewestByName(idOrName);
        }
        return found.orElseThrow(() -> RequestRefused.notFound("no dataset '" + idOrName
                + "' (GET /datasets lists the registered ones)"));
    }

    public Page<DatasetView> list(int page, int size) {
        return datasets.list(page, size);
    }

    private Path checkSource(String source, List<Problem> problems) {
        if (source == null || source.isBlank()) {
            problems.add(new Problem("source", "required: a path on the server to an IDX folder, an ImageFolder"
                    + " tree, CIFAR batches, or a .zip/.tar/.tar.gz archive of one"));
            return null;
        }
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            problems.add(new Problem("source", "not a valid path: " + e.getMessage()));
            return null;
        }
        if (!path.isAbsolute()) {
            problems.add(new Problem("source", "must be an absolute path on the server, got '" + source + "'"));
            return null;
        }
        path = path.normalize();
        Optional<List<String>> roots = config.datasets().allowedRoots();
        if (roots.isPresent() && !roots.get().isEmpty()) {
            Path candidate = path;
            if (roots.get().stream().map(r -> Path.of(r).normalize()).noneMatch(candidate::startsWith)) {
                problems.add(new Problem("source", "'" + path + "' is outside the folders this server allows: "
                        + String.join(", ", roots.get())));
                return null;
            }
        }
        if (!Files.exists(path)) {
            problems.add(new Problem("source", "'" + path + "' does not exist on the server"));
        } else if (!Files.isReadable(path)) {
            problems.add(new Problem("source", "'" + path + "' is not readable by the server"));
        } else if (Files.isRegularFile(path)) {
            String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (ARCHIVES.stream().noneMatch(lower::endsWith)) {
                problems.add(new Problem("source", "'" + path.getFileName() + "' is a file but not a supported archive"
                        + " (" + String.join(", ", ARCHIVES) + "); for a dataset folder pass the folder"));
            }
        }
        return path;
    }
}
