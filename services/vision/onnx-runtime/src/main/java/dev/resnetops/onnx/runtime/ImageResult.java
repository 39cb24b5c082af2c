package dev.resnetops.onnx.runtime;

import java.util.List;

/** What became of one image of a batch: its top-k labels, or why it could not be classified. */
public sealed interface ImageResult {

    String source();

    /** @param top most probable first */
    record Classified(String source, List<ScoredLabel> top) implements ImageResult {
        public Classified {
            top = List.copyOf(top);
        }
    }

    /** @param error names the problem: corrupt, truncated, unsupported format, too many pixels, unreadable */
    record Rejected(String source, String error) implements ImageResult {}
}
