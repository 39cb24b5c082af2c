package dev.resnetops.ingestion.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The archive kinds a dataset source may be, recognised by file name. */
public enum ArchiveFormat {
    ZIP(List.of(".zip")),
    TAR(List.of(".tar")),
    TAR_GZ(List.of(".tar.gz", ".tgz"));

    private final List<String> suffixes;

    ArchiveFormat(List<String> suffixes) {
        this.suffixes = suffixes;
    }

    /** The format of {@code file} by its name, or empty when it is not an archive this service unpacks. */
    public static Optional<ArchiveFormat> of(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        // TAR_GZ before TAR would not matter (".tar.gz" does not end with ".tar"), but keep the longest first.
        for (ArchiveFormat format : List.of(TAR_GZ, TAR, ZIP)) {
            if (format.suffixes.stream().anyMatch(lower::endsWith)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
