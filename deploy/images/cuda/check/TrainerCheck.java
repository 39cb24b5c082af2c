import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.train.PrecisionPolicy;
import dev.resnetops.vision.train.ThroughputProbe;
import dev.resnetops.vision.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Run inside the trainer-cuda image (deploy/images/cuda/check.sh): starts DJL's PyTorch engine the way
 * the trainer does, says which libtorch it loaded (and which CUDA libraries came with it into the
 * process) and what it sees of CUDA, picks the device and the
 * precision with the trainer's own code (TrainingRun.defaultDevice, PrecisionPolicy), and runs three
 * real training steps (forward, loss, backward, SGD) of a small ResNet there on synthetic images.
 */
public final class TrainerCheck {

    public static void main(String[] args) {
        Engine engine = Engine.getInstance();
        System.out.println("check: engine " + engine.getEngineName() + " " + engine.getVersion() + " from "
                + LibUtils.getLibtorchPath() + " (PYTORCH_FLAVOR " + System.getenv("PYTORCH_FLAVOR") + ")");
        System.out.println("check: CUDA libraries in this process: " + loadedCudaLibraries());
        System.out.println("check: CUDA usable (torch::cuda::is_available): "
                + engine.hasCapability(StandardCapabilities.CUDA) + ", cuDNN usable: "
                + engine.hasCapability(StandardCapabilities.CUDNN));
        System.out.println("check: CUDA runtime loaded by DJL: " + cudaRuntime() + ", GPUs: " + engine.getGpuCount());
        Device device = TrainingRun.defaultDevice();
        System.out.println("check: device=" + device + ", precision auto -> "
                + PrecisionPolicy.resolve(Precision.AUTO, device).reason());
        ThroughputProbe.Result result = ThroughputProbe.measure("resnet18-small", 10, 3, 32, 8, Precision.AUTO, 1, 2);
        System.out.printf("check: trained %s on %s in %s: %.3f s/step%n", result.preset(), device, result.precision(),
                result.secondsPerStep());
    }

    /** The CUDA libraries mapped into this JVM, from /proc/self/maps. */
    private static String loadedCudaLibraries() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .map(path -> path.substring(path.lastIndexOf('/') + 1))
                    .filter(name -> name.matches("lib(torch_cuda|c10_cuda|cudart|cublas|cublasLt|cudnn|nccl)\\.so.*"))
                    .distinct().sorted().collect(Collectors.joining(" "));
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cudaRuntime() {
        try {
            return "CUDA " + CudaUtils.getCudaVersionString();
        } catch (RuntimeException e) {
            return "none (" + e.getMessage() + ")";
        }
    }
}
