package dev.resnetops.vision.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a training run's weights come from, as the {@code init} field writes it:
 * <ul>
 *   <li>empty: random initialisation (torchvision's scheme);
 *   <li>{@code job:<id>}: an earlier job's checkpoint (the platform resolves it);
 *   <li>{@code weights:<name>}: a weights file uploaded to the platform ({@code POST /weights}; the
 *       platform resolves it);
 *   <li>{@code <model>@<version or alias>}, e.g. {@code resnetops-fashion-mnist@champion}: a registered
 *       model version (the platform resolves it);
 *   <li>anything else (or {@code file:<path>}): a path the trainer can read, either a weights file
 *       (safetensors, torch.save {@code .pth}) or a checkpoint folder of an earlier run.
 * </ul>
 */
public sealed interface InitSource {

    /** A registered model name, then {@code @}, then a version number or an alias; no slash, so no path. */
    Pattern MODEL_REFERENCE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)@([A-Za-z0-9][A-Za-z0-9._-]*)");

    /** The name an uploaded weights file goes by. */
    Pattern UPLOAD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    record Scratch() implements InitSource {}

    record LocalPath(String path) implements InitSource {}

    record Job(String jobId) implements InitSource {}

    record Uploaded(String name) implements InitSource {}

    record RegisteredModel(String name, String versionOrAlias) implements InitSource {}

    /** Whether the platform must resolve this source (a job, a registered model, an uploaded file). */
    default boolean needsPlatform() {
        return this instanceof Job || this instanceof RegisteredModel || this instanceof Uploaded;
    }

    /** @throws IllegalArgumentException for {@code job:}, {@code weights:} or {@code file:} without a valid value */
    static InitSource parse(String init) {
        String value = init == null ? "" : init.trim();
        if (value.isEmpty()) {
            return new Scratch();
        }
        if (value.startsWith("job:")) {
            String id = value.substring(4).trim();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("'job:' needs the id of an earlier job, e.g. job:72f3bc9b");
            }
            return new Job(id);
        }
        if (value.startsWith("weights:")) {
            String name = value.substring(8).trim();
            if (!UPLOAD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'weights:' needs the name of an uploaded weights file (letters,"
                        + " digits, '.', '_', '-'; GET /weights lists them), e.g. weights:resnet50-imagenet");
            }
            return new Uploaded(name);
        }
        if (value.startsWith("file:")) {
            String path = value.substring(5).trim();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("'file:' needs a path, e.g. file:/data/resnet50-11ad3fa6.pth");
            }
            return new LocalPath(path);
        }
        Matcher model = MODEL_REFERENCE.matcher(value);
        if (model.matches()) {
            return new RegisteredModel(model.group(1), model.group(2));
        }
        return new LocalPath(value);
    }
}
