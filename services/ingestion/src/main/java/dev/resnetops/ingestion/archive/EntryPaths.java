package dev.resnetops.ingestion.archive;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Maps an archive entry name to a path inside the extraction folder, or refuses it ("zip slip").
 * Backslashes count as separators: an archive made on Windows may use them, and {@code ..\..\x}
 * must not slip through because Linux treats the backslash as an ordinary character.
 */
final class EntryPaths {

    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*");

    private EntryPaths() {
    }

    /** The normalised destination of {@code name} under {@code folder}; {@code folder} itself for "./". */
    static Path resolveInside(Path folder, String name) {
        if (name == null || name.isEmpty()) {
            throw new ArchiveRejectedException("archive has an entry without a name; refusing the archive");
        }
        if (name.indexOf('\0') >= 0) {
            throw new ArchiveRejectedException("archive entry '" + name.replace('\0', '?')
                    + "' has a NUL character in its name; refusing the archive");
        }
        String unified = name.replace('\\', '/');
        if (unified.startsWith("/") || DRIVE_LETTER.matcher(unified).matches()) {
            throw new ArchiveRejectedException("archive entry '" + name + "' has an absolute path and would be"
                    + " written outside the extraction folder; refusing the archive (re-create it with paths"
                    + " relative to the dataset folder)");
        }
        for (String segment : unified.split("/")) {
            if (segment.equals("..")) {
                throw outside(name);
            }
        }
        Path base = folder.toAbsolutePath().normalize();
        Path destination = base.resolve(unified).normalize();
        if (!destination.startsWith(base)) {
            throw outside(name);
        }
        return destination;
    }

    private static ArchiveRejectedException outside(String name) {
        return new ArchiveRejectedException("archive entry '" + name + "' would be written outside the extraction"
                + " folder; refusing the archive (re-create it without '..' in entry paths)");
    }
}
