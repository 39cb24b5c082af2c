package dev.resnetops.vision.eval;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * Writes report files so that a reader, or a crash, never sees a half-written one: the bytes go to
 * a temporary file in the target's directory, which is then renamed over the target. A rename
 * within one directory is atomic on every file system we run on; the temporary file is removed if
 * anything fails before the rename.
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    static void write(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        // Same directory as the target: a move across file systems would be a copy, not a rename.
        // Not Files.createTempFile: it creates owner-only files on POSIX, and the rename would hand
        // those permissions to the report. CREATE_NEW with a random name uses the normal umask.
        Path temporary = directory.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notSupported) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Encodes the image as PNG in memory first, so an encoder failure touches no file at all. */
    static void writePng(Path target, RenderedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IOException("expected a PNG writer in this JRE, found none");
        }
        write(target, png.toByteArray());
    }
}
