package dev.resnetops.vision.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.resnetops.vision.config.Precision;

/** Decides the compute type of a run from what was asked and the device it runs on. */
public final class PrecisionPolicy {

    private PrecisionPolicy() {}

    /** The decision and the sentence the log shows for it. */
    public record Decision(DataType computeType, String reason) {
        public boolean mixed() {
            return computeType == DataType.FLOAT16;
        }

        public String key() {
            return mixed() ? "fp16-mixed" : "fp32";
        }
    }

    /**
     * @throws IllegalArgumentException for bf16, before any native array exists: DJL 0.36 aborts
     *     the whole JVM (uncatchable) when a bfloat16 array is created
     */
    public static Decision resolve(Precision requested, Device device) {
        boolean gpu = device.isGpu();
        switch (requested) {
            case BF16:
                throw new IllegalArgumentException("precision bf16 is not supported: DJL 0.36 aborts the JVM on any "
                        + "bfloat16 array; use fp16 (mixed precision with loss scaling) or fp32");
            case FP32:
                return new Decision(DataType.FLOAT32, "fp32 as requested");
            case FP16:
                return new Decision(DataType.FLOAT16, gpu
                        ? "fp16 mixed precision as requested (fp32 master weights, dynamic loss scaling)"
                        : "fp16 mixed precision as requested; note: fp16 convolutions are far slower than fp32 on CPUs "
                                + "(47x measured here, docs/benchmarks.md)");
            case AUTO:
            default:
                return gpu
                        ? new Decision(DataType.FLOAT16, "auto: fp16 mixed precision on GPU " + device
                                + " (fp32 master weights, dynamic loss scaling)")
                        : new Decision(DataType.FLOAT32, "auto: fp32 on CPU, because fp16 convolutions are far slower "
                                + "than fp32 on CPUs (47x measured, docs/benchmarks.md) and bf16 crashes DJL 0.36; "
                                + "fp16 mixed precision is used on GPUs");
        }
    }
}
