package dev.resnetops.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Locates the committed fixtures (written by fixtures/data/make_fixtures.py) and copies them for tests that modify. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/data/" + relative);
        if (url == null) {
            throw new IllegalStateException("missing fixture " + relative + "; run make_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies fixture folder {@code relative} to {@code target} (created) and returns {@code target}. */
    static Path copy(String relative, Path target) {
        Path source = path(relative);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Collects everything a reader delivers for one split. */
    static final class CollectingSink implements SampleSink {
        final java.util.List<LabelledImage> images = new java.util.ArrayList<>();
        final java.util.List<DataProblem> problems = new java.util.ArrayList<>();

        @Override
        public void accept(LabelledImage image) {
            images.add(image);
        }

        @Override
        public void problem(DataProblem problem) {
            problems.add(problem);
        }
    }

    static CollectingSink read(SourceDataset source, Split split) {
        CollectingSink sink = new CollectingSink();
        source.read(split, sink);
        return sink;
    }
}
