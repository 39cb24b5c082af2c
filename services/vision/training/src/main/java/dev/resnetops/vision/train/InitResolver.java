package dev.resnetops.vision.train;

import dev.resnetops.vision.config.InitSource;
import java.nio.file.Path;

/**
 * Turns an {@code init} that names something of the platform ({@code job:<id>}, {@code <model>@<alias>},
 * {@code weights:<name>}) into the weights file or checkpoint folder it stands for. The trainer service
 * implements it; outside the platform there is none, and such an init is refused.
 */
@FunctionalInterface
public interface InitResolver {

    /**
     * @throws IllegalArgumentException naming what does not exist or has no weights (an unknown job or
     *     alias, a job that never finished an epoch)
     */
    Resolved resolve(InitSource source);

    /**
     * @param path a weights file or a checkpoint folder
     * @param description what the reference stood for, for provenance (e.g. "resnetops-flowers version 3,
     *     trained by job 72f3...")
     * @param sha256 what the weights must hash to (a weights file, or a checkpoint's model.params) as the
     *     platform recorded them; "" when it recorded nothing. Bytes changed since are refused.
     */
    record Resolved(Path path, String description, String sha256) {
    }
}
