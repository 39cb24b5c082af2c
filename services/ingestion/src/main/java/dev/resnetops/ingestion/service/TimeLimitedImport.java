package dev.resnetops.ingestion.service;

import dev.resnetops.ingestion.archive.ArchiveRejectedException;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.vision.data.DatasetException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the data part of an ingestion on its own thread, bounded by {@code mlops.ingestion.time-limit}, and
 * turns whatever ends it early (a dataset problem, any exception, an {@link Error} such as
 * {@link OutOfMemoryError}, the time limit) into an {@link ImportFailedException} whose message says
 * what happened, so the dataset ends FAILED and the consumer moves on to the next command.
 *
 * <p>A thread of its own, because a reader stuck in a system call cannot be stopped from inside, and an
 * {@code OutOfMemoryError} there unwinds that thread only (its arrays become garbage) instead of the
 * Kafka consumer's. An import past its time is interrupted; the importer and file channels stop at the
 * next record or write.
 */
@ApplicationScoped
public class TimeLimitedImport {

    private static final Logger LOG = Logger.getLogger(TimeLimitedImport.class);

    private final Duration limit;
    private final ExecutorService threads;

    TimeLimitedImport(IngestionConfig config) {
        this.limit = config.timeLimit();
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ingestion-import-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param what names the work for messages, e.g. the source path
     * @throws ImportFailedException when the work fails in any way or runs out of time
     */
    public <T> T run(String what, Callable<T> work) {
        Future<T> future = threads.submit(work);
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ImportFailedException(what + ": the import took longer than the ingestion time limit of "
                    + limit + " (mlops.ingestion.time-limit) and was stopped; check that the source is readable"
                    + " at a normal speed, or raise the limit for a dataset this large", null);
        } catch (InterruptedException e) {
            // The service is stopping: not the dataset's fault, so the command stays unprocessed.
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted while importing", e);
        } catch (ExecutionException e) {
            throw explain(what, e.getCause());
        }
    }

    private static ImportFailedException explain(String what, Throwable cause) {
        if (cause instanceof DatasetException || cause instanceof ArchiveRejectedException) {
            String message = cause.getMessage();
            return new ImportFailedException(message.startsWith(what) ? message : what + ": " + message, cause);
        }
        if (cause instanceof OutOfMemoryError) {
            LOG.errorf(cause, "%s: out of memory while importing", what);
            return new ImportFailedException(what + ": the import ran out of memory (" + cause.getMessage()
                    + "); the dataset holds more than this service's heap can take at once. Give the service"
                    + " a larger heap (-Xmx) or split the dataset", cause);
        }
        LOG.errorf(cause, "%s: unexpected failure while importing", what);
        return new ImportFailedException(what + ": the import failed unexpectedly (" + cause.getClass().getSimpleName()
                + ": " + cause.getMessage() + "); the service log has the details", cause);
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }

    /** The data part of an ingestion ended without a result; the message is the dataset's error. */
    public static final class ImportFailedException extends RuntimeException {
        ImportFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
