package dev.resnetops.cli.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Every {@code .jpg}, {@code .jpeg} and {@code .png} file under a folder, recursively, in path order.
 * A file in a sub-folder ({@code <class>/<file>}, the ImageFolder layout) has the sub-folder's name as
 * its true label; a file directly in the folder has none.
 *
 * <p>Files are selected by extension only and not decoded here: a corrupt file is sent like any other,
 * so the service's dead-letter path is exercised exactly as a real client would exercise it.
 */
final class ImageFileTree {

    private ImageFileTree() {}

    static List<StreamImage> scan(Path root, int limit) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(ImageFileTree::hasImageExtension).sorted()
                    .limit(limit > 0 ? limit : Long.MAX_VALUE)
                    .map(file -> (StreamImage) new StreamImage.File(root.relativize(file).toString(),
                            trueLabel(root, file), file))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot list the images under " + root + ": " + e.getMessage(), e);
        }
    }

    private static String trueLabel(Path root, Path file) {
        Path parent = file.getParent();
        return parent == null || parent.equals(root) ? null : parent.getFileName().toString();
    }

    static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }
}
