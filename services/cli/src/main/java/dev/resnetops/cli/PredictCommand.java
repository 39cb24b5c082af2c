package dev.resnetops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.onnx.runtime.ClassifierOptions;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.ModelIdentity;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import dev.resnetops.onnx.runtime.ScoredLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops predict}: top-k classes of image files with an exported ONNX model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify JPEG/PNG images with an ONNX model from 'mlops export'. Folders are searched "
                + "recursively for .jpg/.jpeg/.png. Exit code 2 if any image could not be classified.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "The .onnx model.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders.")
    List<Path> inputs;

    @Option(names = {"-k", "--top-k"}, defaultValue = "5") int topK;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = its default).")
    int threads;

    @Option(names = "--max-pixels", defaultValue = "" + ClassifierOptions.DEFAULT_MAX_PIXELS,
            description = "Refuse images with more pixels (decompression bombs); default ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--cpu", description = "Stay on the CPU even when the CUDA execution provider is available.")
    boolean cpu;

    @Option(names = "--json", description = "One JSON document on stdout: the model identity and every result.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<ImageInput> images = new ArrayList<>();
        for (Path input : inputs) {
            images.addAll(expand(input));
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no .jpg, .jpeg or .png files in " + inputs);
        }
        ClassifierOptions options = ClassifierOptions.defaults().withThreads(threads).withAllowGpu(!cpu)
                .withMaxPixels(maxPixels).withTopK(topK);
        try (OnnxClassifier classifier = OnnxClassifier.open(model, options)) {
            List<ImageResult> results = classifier.classify(images);
            if (json) {
                printJson(classifier.identity(), results);
            } else {
                printText(classifier.identity(), results);
            }
            return results.stream().allMatch(r -> r instanceof ImageResult.Classified) ? 0 : UserErrorHandler.USER_ERROR;
        }
    }

    /** A file as given (its format is checked when decoding); a folder's images in sorted order. */
    private static List<ImageInput> expand(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            return List.of(new ImageInput.File(input));
        }
        try (Stream<Path> walk = Files.walk(input)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
                    .sorted()
                    .<ImageInput>map(ImageInput.File::new)
                    .toList();
        }
    }

    private static void printText(ModelIdentity id, List<ImageResult> results) {
        System.out.printf("model %s, run %s, sha256 %s, %s%n", id.preset(), id.runId(), id.sha256(), id.provider());
        for (ImageResult result : results) {
            if (result instanceof ImageResult.Classified c) {
                StringBuilder line = new StringBuilder(c.source()).append(':');
                for (ScoredLabel label : c.top()) {
                    line.append(String.format(Locale.ROOT, "  %s %.1f%%", label.label(), 100 * label.probability()));
                }
                System.out.println(line);
            } else {
                ImageResult.Rejected r = (ImageResult.Rejected) result;
                System.out.println(r.source() + ": error: " + r.error());
            }
        }
    }

    private static void printJson(ModelIdentity id, List<ImageResult> results) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("model", mapper.valueToTree(id));
        ArrayNode array = root.putArray("results");
        for (ImageResult result : results) {
            ObjectNode node = array.addObject();
            node.put("source", result.source());
            if (result instanceof ImageResult.Classified c) {
                node.set("top", mapper.valueToTree(c.top()));
            } else {
                node.put("error", ((ImageResult.Rejected) result).error());
            }
        }
        System.out.println(mapper.writeValueAsString(root));
    }
}
