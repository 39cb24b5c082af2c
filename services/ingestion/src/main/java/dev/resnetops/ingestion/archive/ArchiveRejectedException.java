package dev.resnetops.ingestion.archive;

/**
 * An archive that will not be unpacked: an entry that escapes the target, a link, a device, or more
 * data than the limits allow. The message names the entry and is meant for the user as is.
 */
public final class ArchiveRejectedException extends RuntimeException {

    public ArchiveRejectedException(String message) {
        super(message);
    }

    public ArchiveRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
