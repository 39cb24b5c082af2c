package dev.resnetops.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a session asks for CUDA: only with the GPU build, a GPU device node and the driver library, since
 * onnxruntime_gpu crashes the JVM when asked without them. Folders stand in for /dev and the library path.
 */
class CudaAvailabilityTest {

    private static final Set<OrtProvider> GPU_BUILD = Set.of(OrtProvider.CPU, OrtProvider.CUDA);

    @TempDir
    Path dev;

    @TempDir
    Path libs;

    @Test
    void usesCudaWithTheGpuBuildAGpuAndItsDriver() throws IOException {
        gpuNode();

        assertThat(CudaAvailability.decide(true, GPU_BUILD, dev, List.of(libs)))
                .isEqualTo(new CudaAvailability.Decision(true, ""));
    }

    @Test
    void theCpuBuildOrAForcedCpuIsNotWorthAWarning() throws IOException {
        gpuNode();

        assertThat(CudaAvailability.decide(true, Set.of(OrtProvider.CPU), dev, List.of(libs)))
                .isEqualTo(new CudaAvailability.Decision(false, ""));
        assertThat(CudaAvailability.decide(false, GPU_BUILD, dev, List.of(libs)))
                .isEqualTo(new CudaAvailability.Decision(false, ""));
    }

    @Test
    void withoutAGpuDeviceTheGpuBuildRunsOnTheCpuAndSaysWhy() throws IOException {
        Files.createFile(libs.resolve("libcuda.so.1"));
        Files.createFile(dev.resolve("nvidiactl")); // the control node alone is no GPU

        CudaAvailability.Decision decision = CudaAvailability.decide(true, GPU_BUILD, dev, List.of(libs));

        assertThat(decision.useCuda()).isFalse();
        assertThat(decision.reason()).contains("no NVIDIA GPU is visible").contains("nvidia0")
                .contains("nvidia.com/gpu");
    }

    @Test
    void withoutTheDriverLibraryTheGpuBuildRunsOnTheCpuAndSaysWhy() throws IOException {
        Files.createFile(dev.resolve("nvidia0"));

        CudaAvailability.Decision decision = CudaAvailability.decide(true, GPU_BUILD, dev, List.of(libs));

        assertThat(decision.useCuda()).isFalse();
        assertThat(decision.reason()).contains("libcuda.so.1 is not in").contains(libs.toString());
    }

    @Test
    void aMissingDevFolderMeansNoGpu() {
        CudaAvailability.Decision decision = CudaAvailability.decide(true, GPU_BUILD, dev.resolve("absent"),
                List.of(libs));

        assertThat(decision.useCuda()).isFalse();
    }

    @Test
    void theLibraryPathComesFirstThenTheStandardFolders() {
        List<Path> dirs = CudaAvailability.libraryDirs("/opt/cuda/a::/opt/cuda/b");

        assertThat(dirs).startsWith(Path.of("/opt/cuda/a"), Path.of("/opt/cuda/b"))
                .contains(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"));
        assertThat(CudaAvailability.libraryDirs(null)).contains(Path.of("/usr/lib/x86_64-linux-gnu"));
    }

    private void gpuNode() throws IOException {
        Files.createFile(dev.resolve("nvidiactl"));
        Files.createFile(dev.resolve("nvidia0"));
        Files.createFile(libs.resolve("libcuda.so.1"));
    }
}
