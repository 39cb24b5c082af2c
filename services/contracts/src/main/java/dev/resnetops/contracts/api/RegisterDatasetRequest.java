package dev.resnetops.contracts.api;

/**
 * Body of {@code POST /datasets}.
 *
 * @param name   a short name for the dataset (letters, digits, '.', '_', '-'); jobs may refer to it
 * @param source a path on the server: a folder of IDX files, an ImageFolder tree or CIFAR batches, or a
 *               .tar, .tar.gz/.tgz or .zip archive of one
 */
public record RegisterDatasetRequest(String name, String source) {
}
