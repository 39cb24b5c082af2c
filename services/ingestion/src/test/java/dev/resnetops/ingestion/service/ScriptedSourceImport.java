package dev.resnetops.ingestion.service;

import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.config.IngestionConfig;
import java.nio.file.Path;

/**
 * The real {@link SourceImport} with faults injected by dataset name, for failures no honest file can
 * cause on demand: {@code oom-*} throws OutOfMemoryError, {@code crash-*} an unexpected exception (a
 * bug), {@code hang-*} blocks like a read from a stuck mount until interrupted. Other names import normally.
 */
public final class ScriptedSourceImport extends SourceImport {

    public ScriptedSourceImport(DatasetFolders folders, IngestionConfig config) {
        super(folders, config);
    }

    @Override
    public Path importSource(IngestDataset command) {
        String name = command.name();
        if (name.startsWith("oom-")) {
            throw new OutOfMemoryError("Java heap space");
        }
        if (name.startsWith("crash-")) {
            throw new IllegalStateException("simulated bug: index 7 out of bounds for length 7");
        }
        if (name.startsWith("hang-")) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while hanging", e);
            }
        }
        return super.importSource(command);
    }
}
