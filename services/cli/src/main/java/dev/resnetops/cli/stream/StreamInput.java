package dev.resnetops.cli.stream;

import dev.resnetops.vision.data.CifarReader;
import dev.resnetops.vision.data.IdxReader;
import dev.resnetops.vision.data.ImageFolderReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code mlops stream} sends: the test split of a dataset folder vision can read, or else every
 * JPEG/PNG file under a folder, or a single image file.
 *
 * @param description one line saying what was found, for the person running the command
 */
public record StreamInput(String description, List<StreamImage> images) {

    /** @param limit at most this many images (0 = all) */
    public static StreamInput open(Path path, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 (all) or positive, got " + limit);
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": no such file or folder");
        }
        if (Files.isRegularFile(path)) {
            if (!ImageFileTree.hasImageExtension(path)) {
                throw new IllegalArgumentException(path + " is not a .png, .jpg or .jpeg file; pass an image, a folder "
                        + "of images, or a dataset folder");
            }
            return new StreamInput("1 image file", List.of(new StreamImage.File(path.getFileName().toString(), null, path)));
        }
        if (isDataset(path)) {
            DatasetTestSplit.Images split = DatasetTestSplit.read(path, limit);
            return new StreamInput(split.images().size() + " images of the test split of " + split.format()
                    + " dataset " + path + " (encoded as PNG, true labels known"
                    + (split.skipped() > 0 ? ", " + split.skipped() + " unreadable records skipped" : "") + ")",
                    split.images());
        }
        List<StreamImage> files = ImageFileTree.scan(path, limit);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(path + " holds no .png, .jpg or .jpeg files and is not a dataset "
                    + "folder (IDX files, CIFAR binaries, or train/<class>/ images)");
        }
        long labelled = files.stream().filter(f -> f.trueLabel() != null).count();
        return new StreamInput(files.size() + " image files under " + path + (labelled == 0 ? ""
                : " (" + labelled + " in class folders: the folder name is the true label)"), files);
    }

    private static boolean isDataset(Path folder) {
        return IdxReader.isIdxDirectory(folder) || CifarReader.locate(folder) != null
                || ImageFolderReader.isImageFolderRoot(folder);
    }
}
