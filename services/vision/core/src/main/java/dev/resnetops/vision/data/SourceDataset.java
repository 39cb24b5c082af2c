package dev.resnetops.vision.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A dataset in its original on-disk format, opened by one of the readers. Structural problems
 * (bad magic, truncated files, empty class folders) are found when it is opened or read and thrown
 * as {@link DatasetException}; problems with single records go to {@link SampleSink#problem}.
 */
public interface SourceDataset {

    SourceFormat format();

    Path root();

    /** Class names; a label is an index into this list. */
    List<String> classes();

    /** 1 for grayscale, 3 for RGB: every image delivered by {@link #read} has this many channels. */
    int channels();

    /** Image height if every image has the same size, else 0. */
    int height();

    /** Image width if every image has the same size, else 0. */
    int width();

    Set<Split> splits();

    /** Streams every record of {@code split} to {@code sink}, in a stable order. */
    void read(Split split, SampleSink sink);
}
