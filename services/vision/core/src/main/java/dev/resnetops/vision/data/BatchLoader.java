package dev.resnetops.vision.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads preprocessed batches of one epoch on worker threads, ahead of the trainer.
 *
 * <p>Up to {@code prefetch} batches are being prepared while the trainer consumes the current one; each
 * batch is built by one worker, and batches are handed out strictly in order. Because the order and
 * every sample's augmentation depend only on (seed, epoch, sample index), the output is bit-identical
 * for any number of workers and across runs. A failure in a worker is rethrown by {@code next()} with
 * its cause. Close the loader (try-with-resources) to stop its threads.
 */
public final class BatchLoader implements Iterable<Batch>, AutoCloseable {

    private final ShardedDataset dataset;
    private final Split split;
    private final Preprocessing preprocessing;
    private final boolean augment;
    private final int batchSize;
    private final long seed;
    private final int epoch;
    private final int prefetch;
    private final int[] order;
    private final int numBatches;
    private final ExecutorService workers;

    private BatchLoader(Builder b) {
        this.dataset = Objects.requireNonNull(b.dataset, "dataset");
        this.split = b.split;
        this.preprocessing = Objects.requireNonNull(b.preprocessing, "preprocessing");
        this.augment = b.augment;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.epoch = b.epoch;
        this.prefetch = b.prefetch;
        int[] subset = SampleOrder.subset(dataset.size(split), b.limit, seed);
        this.order = SampleOrder.epochOrder(subset, b.shuffle, seed, epoch);
        this.numBatches = b.dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(b.workers, task -> {
            Thread t = new Thread(task, "batch-loader-" + split.id() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true); // never keep the JVM alive because a loader was not closed
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    public int numBatches() {
        return numBatches;
    }

    /** Number of samples this epoch will deliver (after limit and dropLast). */
    public int numSamples() {
        return Math.min(order.length, numBatches * batchSize);
    }

    /** Iterates over this epoch's batches; each call starts from the first batch again. */
    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
            private int submitted;
            private int delivered;

            @Override
            public boolean hasNext() {
                return delivered < numBatches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + numBatches + " batches were delivered");
                }
                if (workers.isShutdown()) {
                    throw new IllegalStateException("the batch loader is closed; build a new one for another pass");
                }
                while (submitted < numBatches && inFlight.size() <= prefetch) {
                    int batchIndex = submitted++;
                    inFlight.add(workers.submit(() -> buildBatch(batchIndex)));
                }
                Future<Batch> next = inFlight.poll();
                try {
                    Batch batch = next.get();
                    delivered++;
                    return batch;
                } catch (ExecutionException e) {
                    inFlight.forEach(f -> f.cancel(true));
                    throw new DatasetException("loading batch " + delivered + " of " + dataset.directory() + " ("
                            + split.id() + ") failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting for batch " + delivered);
                }
            }
        };
    }

    private Batch buildBatch(int batchIndex) {
        int start = batchIndex * batchSize;
        int n = Math.min(batchSize, order.length - start);
        int sample = preprocessing.sampleLength();
        float[] data = new float[n * sample];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int index = order[start + i];
            DecodedImage image = dataset.image(split, index);
            labels[i] = dataset.label(split, index);
            if (augment) {
                preprocessing.augmentInto(image, SampleOrder.sampleRandom(seed, epoch, index), data, i * sample);
            } else {
                preprocessing.evaluateInto(image, data, i * sample);
            }
        }
        int s = preprocessing.inputSize();
        return new Batch(data, labels, n, preprocessing.channels(), s, s);
    }

    /** Stops the worker threads; batches not yet consumed are abandoned. */
    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** Configures a {@link BatchLoader}; only dataset and preprocessing are required. */
    public static final class Builder {
        private ShardedDataset dataset;
        private Split split = Split.TRAIN;
        private Preprocessing preprocessing;
        private boolean augment;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private int epoch;
        private int limit;
        private boolean dropLast;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        private int prefetch = 4;

        public Builder dataset(ShardedDataset d) { this.dataset = d; return this; }
        public Builder split(Split s) { this.split = Objects.requireNonNull(s); return this; }
        public Builder preprocessing(Preprocessing p) { this.preprocessing = p; return this; }
        public Builder augment(boolean a) { this.augment = a; return this; }
        public Builder shuffle(boolean s) { this.shuffle = s; return this; }
        public Builder seed(long s) { this.seed = s; return this; }
        public Builder epoch(int e) { this.epoch = e; return this; }
        public Builder dropLast(boolean d) { this.dropLast = d; return this; }

        public Builder batchSize(int n) {
            this.batchSize = positive(n, "batchSize");
            return this;
        }

        /** Use at most {@code n} samples (0 = all): a fixed subset chosen by the seed, the same every epoch. */
        public Builder limit(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("limit must be >= 0 (0 = all), got " + n);
            }
            this.limit = n;
            return this;
        }

        public Builder workers(int n) {
            this.workers = positive(n, "workers");
            return this;
        }

        /** How many batches may be prepared ahead of the one being consumed. */
        public Builder prefetch(int n) {
            this.prefetch = positive(n, "prefetch");
            return this;
        }

        public BatchLoader build() {
            return new BatchLoader(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + n);
            }
            return n;
        }
    }
}
