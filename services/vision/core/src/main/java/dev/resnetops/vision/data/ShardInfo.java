package dev.resnetops.vision.data;

/**
 * One shard file as listed in {@code manifest.json}.
 *
 * @param file    file name, relative to the dataset directory
 * @param records number of images in it
 * @param sha256  hex SHA-256 of the whole file, checked when the dataset is opened
 */
public record ShardInfo(String file, Split split, int records, String sha256) {
}
