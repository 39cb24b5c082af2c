package dev.resnetops.vision.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A dataset shipped as a Debian package (e.g. {@code dataset-fashion-mnist}), installed with apt-get
 * when missing and we run as root. Kept small and separate so everything else can be tested without
 * touching the system.
 */
public final class DebianDatasetPackage {

    public static final DebianDatasetPackage FASHION_MNIST =
            new DebianDatasetPackage("dataset-fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"),
                    () -> "root".equals(System.getProperty("user.name")));

    private final String packageName;
    private final Path installDir;
    private final BooleanSupplier runningAsRoot;

    DebianDatasetPackage(String packageName, Path installDir, BooleanSupplier runningAsRoot) {
        this.packageName = packageName;
        this.installDir = installDir;
        this.runningAsRoot = runningAsRoot;
    }

    public String packageName() {
        return packageName;
    }

    public Path installDir() {
        return installDir;
    }

    /** Returns the dataset folder, installing the package first if needed and allowed. */
    public Path ensureInstalled(Consumer<String> log) {
        if (Files.isDirectory(installDir)) {
            return installDir;
        }
        if (!runningAsRoot.getAsBoolean()) {
            throw new DatasetException(installDir + " does not exist; install it with `sudo apt-get install "
                    + packageName + "` (Debian/Ubuntu), or download the dataset and pass its folder instead");
        }
        log.accept(installDir + " missing: installing " + packageName + " with apt-get");
        if (!aptGet(log, "install", "-y", packageName)) {
            // A fresh container often has empty package lists; refresh them once and retry.
            log.accept("apt-get install failed; running apt-get update and retrying");
            aptGet(log, "update");
            if (!aptGet(log, "install", "-y", packageName)) {
                throw new DatasetException("apt-get install -y " + packageName + " failed (see the log above);"
                        + " install it by hand or pass the dataset folder instead");
            }
        }
        if (!Files.isDirectory(installDir)) {
            throw new DatasetException("package " + packageName + " is installed but " + installDir + " is missing");
        }
        return installDir;
    }

    private static boolean aptGet(Consumer<String> log, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            output.lines().forEach(line -> log.accept("apt-get: " + line));
            return code == 0;
        } catch (IOException e) {
            log.accept("cannot run apt-get: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
