package dev.resnetops.onnx.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether a session may ask for ONNX Runtime's CUDA execution provider, decided before touching it:
 * onnxruntime_gpu 1.22 kills the JVM (SIGSEGV in libonnxruntime_providers_cuda.so, inside
 * {@code SessionOptions.addCUDA}) when the CUDA libraries are there but no GPU and driver are, e.g. the
 * inference-cuda image started without a GPU (measured; also deepjavalibrary/djl#3366). So CUDA is
 * asked for only when the process sees an NVIDIA GPU device node ({@code /dev/nvidia0}, ...) and the
 * driver's {@code libcuda.so.1}, which the NVIDIA container toolkit or Kubernetes device plugin put
 * into a container given a GPU.
 */
final class CudaAvailability {

    private static final Pattern GPU_DEVICE = Pattern.compile("nvidia\\d+");
    private static final String DRIVER_LIBRARY = "libcuda.so.1";
    /** Where Debian/Ubuntu and RHEL-like systems (and the container toolkit) put the driver's libraries. */
    private static final List<String> STANDARD_LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/nvidia/lib64");

    /**
     * @param useCuda ask for the CUDA execution provider
     * @param reason why not, for the log; empty when CUDA is used or was never an option (the CPU build)
     */
    record Decision(boolean useCuda, String reason) {}

    private CudaAvailability() {}

    /** The decision for this process: its ONNX Runtime build, {@code /dev} and the library search path. */
    static Decision check(boolean allowGpu) {
        Set<OrtProvider> providers = allowGpu ? OrtEnvironment.getAvailableProviders() : Set.of();
        return decide(allowGpu, providers, Path.of("/dev"), libraryDirs(System.getenv("LD_LIBRARY_PATH")));
    }

    static Decision decide(boolean allowGpu, Set<OrtProvider> providers, Path devDir, List<Path> libraryDirs) {
        if (!allowGpu || !providers.contains(OrtProvider.CUDA)) {
            return new Decision(false, "");
        }
        if (!hasGpuDevice(devDir)) {
            return new Decision(false, "no NVIDIA GPU is visible to this process (no " + devDir.resolve("nvidia0")
                    + ", ...); give the container a GPU (--device nvidia.com/gpu=all, or a nvidia.com/gpu resource)");
        }
        if (libraryDirs.stream().noneMatch(dir -> Files.exists(dir.resolve(DRIVER_LIBRARY)))) {
            return new Decision(false, "the NVIDIA driver library " + DRIVER_LIBRARY + " is not in " + libraryDirs
                    + "; the NVIDIA container toolkit mounts it into a container given a GPU");
        }
        return new Decision(true, "");
    }

    private static boolean hasGpuDevice(Path devDir) {
        try (Stream<Path> entries = Files.list(devDir)) {
            return entries.anyMatch(p -> GPU_DEVICE.matcher(p.getFileName().toString()).matches());
        } catch (IOException e) {
            return false;
        }
    }

    /** LD_LIBRARY_PATH's folders, those listed in /etc/ld.so.conf.d (the toolkit adds one), the standard ones. */
    static List<Path> libraryDirs(String ldLibraryPath) {
        List<Path> dirs = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String dir : ldLibraryPath.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        try (Stream<Path> confs = Files.list(Path.of("/etc/ld.so.conf.d"))) {
            for (Path conf : confs.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                for (String line : Files.readAllLines(conf)) {
                    String dir = line.strip();
                    if (dir.startsWith("/")) {
                        dirs.add(Path.of(dir));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // No such folder or an unreadable file: the other folders still count.
        }
        STANDARD_LIBRARY_DIRS.forEach(dir -> dirs.add(Path.of(dir)));
        return dirs;
    }
}
