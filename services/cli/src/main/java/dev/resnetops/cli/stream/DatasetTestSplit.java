package dev.resnetops.cli.stream;

import dev.resnetops.vision.data.DataProblem;
import dev.resnetops.vision.data.DatasetImporter;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.LabelledImage;
import dev.resnetops.vision.data.SampleSink;
import dev.resnetops.vision.data.SourceDataset;
import dev.resnetops.vision.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The test split of a dataset vision can read (IDX, CIFAR, an ImageFolder root), each image encoded as
 * PNG with its true label: PNG because it is lossless, so the service sees the very pixels the
 * evaluator measured the model on, and the streamed accuracy is comparable with the evaluator's.
 */
final class DatasetTestSplit {

    /** The images, and how many records the reader had to skip as unreadable. */
    record Images(List<StreamImage> images, int skipped, String format) {}

    private DatasetTestSplit() {}

    static Images read(Path root, int limit) {
        SourceDataset dataset = DatasetImporter.openSource(root);
        if (!dataset.splits().contains(Split.TEST)) {
            throw new IllegalArgumentException(root + " is a " + dataset.format().id() + " dataset without a test "
                    + "split; stream a folder of images instead, or add the test files (e.g. t10k-* for IDX)");
        }
        List<String> classes = dataset.classes();
        List<StreamImage> images = new ArrayList<>();
        int[] skipped = {0};
        dataset.read(Split.TEST, new SampleSink() {
            @Override
            public void accept(LabelledImage image) {
                // The reader has no early stop; decoding the rest of a 10k-image split costs well under a second.
                if (limit <= 0 || images.size() < limit) {
                    byte[] png = ImageCodec.encode(image.image(), "png", 1f);
                    images.add(new StreamImage.Encoded("test#" + images.size(), classes.get(image.label()), png));
                }
            }

            @Override
            public void problem(DataProblem problem) {
                skipped[0]++;
            }
        });
        return new Images(List.copyOf(images), skipped[0], dataset.format().id());
    }
}
