import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.train.PrecisionPolicy;
import dev.resnetops.vision.train.ThroughputProbe;
import dev.resnetops.vision.train.TrainingRun;

/**
 * Run inside the trainer-cuda image (deploy/images/cuda/check.sh): starts DJL's PyTorch engine the way
 * the trainer does, says which libtorch it loaded and what it sees of CUDA, picks the device and the
 * precision with the trainer's own code (TrainingRun.defaultDevice, PrecisionPolicy), and runs three
 * real training steps (forward, loss, backward, SGD) of a small ResNet there on synthetic images.
 */
public final class TrainerCheck {

    public static void main(String[] args) {
        Engine engine = Engine.getInstance();
        System.out.println("check: engine " + engine.getEngineName() + " " + engine.getVersion() + " from "
                + LibUtils.getLibtorchPath() + " (PYTORCH_FLAVOR " + System.getenv("PYTORCH_FLAVOR") + ")");
        System.out.println("check: libtorch built with CUDA: " + engine.hasCapability(StandardCapabilities.CUDA)
                + ", with cuDNN: " + engine.hasCapability(StandardCapabilities.CUDNN));
        System.out.println("check: CUDA runtime loaded by DJL: " + cudaRuntime() + ", GPUs: " + engine.getGpuCount());
        Device device = TrainingRun.defaultDevice();
        System.out.println("check: device=" + device + ", precision auto -> "
                + PrecisionPolicy.resolve(Precision.AUTO, device).reason());
        ThroughputProbe.Result result = ThroughputProbe.measure("resnet18-small", 10, 3, 32, 8, Precision.AUTO, 1, 2);
        System.out.printf("check: trained %s on %s in %s: %.3f s/step%n", result.preset(), device, result.precision(),
                result.secondsPerStep());
    }

    private static String cudaRuntime() {
        try {
            return "CUDA " + CudaUtils.getCudaVersionString();
        } catch (RuntimeException e) {
            return "none (" + e.getMessage() + ")";
        }
    }
}
