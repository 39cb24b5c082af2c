package dev.resnetops.ingestion.archive;

import java.nio.file.Path;

/**
 * What an extraction produced.
 *
 * @param folder      the extraction folder (delete it when done)
 * @param datasetRoot the folder to import: the single top-level folder when the archive has one, else
 *                    {@code folder}
 * @param entries     entries unpacked (files and folders)
 * @param bytes       bytes written
 */
public record Extraction(Path folder, Path datasetRoot, int entries, long bytes) {
}
