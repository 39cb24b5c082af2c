package dev.resnetops.vision.data;

import java.util.Objects;

/**
 * The test images an evaluation runs over, whatever engine runs the model: the dataset's test split (or a
 * fixed seeded subset of it) with the checkpoint's preprocessing, in batches. DJL's evaluation of a
 * checkpoint and ONNX Runtime's evaluation of its export take the same {@code TestSplit}, so they see
 * identical input tensors.
 *
 * @param limit 0 = the whole split, else a fixed seeded subset of that many images (the same subset for
 *     the same seed)
 * @param workers threads decoding and preprocessing images ahead of the model
 */
public record TestSplit(ShardedDataset dataset, Preprocessing preprocessing, int limit, int batchSize, int workers,
        long seed) {

    public TestSplit {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(preprocessing, "preprocessing");
        // batch size and workers are checked by the loader; the limit is needed before (sampleCount)
        if (limit < 0) {
            throw new IllegalArgumentException("test image limit must be >= 0 (0 = all), found " + limit);
        }
    }

    /** How many images an evaluation of this split sees. */
    public int sampleCount() {
        int size = dataset.size(Split.TEST);
        return limit > 0 ? Math.min(limit, size) : size;
    }

    public int classCount() {
        return dataset.manifest().classes().size();
    }

    /** In file order, no augmentation, the last partial batch kept; close it when done. */
    public BatchLoader open() {
        return BatchLoader.builder().dataset(dataset).split(Split.TEST).preprocessing(preprocessing).augment(false)
                .batchSize(batchSize).shuffle(false).seed(seed).epoch(0).limit(limit).dropLast(false)
                .workers(workers).build();
    }
}
