package dev.resnetops.trainer.service;

import dev.resnetops.store.init.InitReferences;
import dev.resnetops.vision.config.InitSource;
import dev.resnetops.vision.train.InitResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a job's {@code init} that names something of the platform (an earlier job, a registered model
 * version, an uploaded file) when the job starts, through PostgreSQL (waiting out an outage rather than
 * failing the job), and checks that what it names is on this worker's storage.
 */
@ApplicationScoped
public class PlatformInitResolver implements InitResolver {

    private final InitReferences references;
    private final UntilDatabaseAnswers database;

    PlatformInitResolver(InitReferences references, UntilDatabaseAnswers database) {
        this.references = references;
        this.database = database;
    }

    @Override
    public Resolved resolve(InitSource source) {
        InitReferences.Reference reference = database.call("resolve the job's init " + source,
                () -> references.resolve(source));
        Path path = Path.of(reference.location());
        if (!Files.exists(path)) {
            throw new JobFailure("init: " + reference.description() + " is at " + path + ", which this worker cannot"
                    + " see (the jobs and weights folders must be shared storage that every trainer mounts)");
        }
        return new Resolved(path, reference.description(), reference.sha256());
    }
}
