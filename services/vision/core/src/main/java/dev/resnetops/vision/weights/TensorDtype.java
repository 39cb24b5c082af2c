package dev.resnetops.vision.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The element types a weights file may hold, with their names in safetensors headers and in
 * PyTorch's pickled storage classes. Every floating type is widened or rounded to float32 on
 * reading (bf16 and f16 exactly, f64 to nearest), since the training engine's parameters are
 * float32; integer tensors are read so that a state dict's counters (BatchNorm's
 * {@code num_batches_tracked}) can be accounted for, never loaded as weights.
 */
public enum TensorDtype {
    F32("F32", "FloatStorage", 4, true),
    F16("F16", "HalfStorage", 2, true),
    BF16("BF16", "BFloat16Storage", 2, true),
    F64("F64", "DoubleStorage", 8, true),
    I64("I64", "LongStorage", 8, false),
    I32("I32", "IntStorage", 4, false),
    I16("I16", "ShortStorage", 2, false),
    I8("I8", "CharStorage", 1, false),
    U8("U8", "ByteStorage", 1, false),
    BOOL("BOOL", "BoolStorage", 1, false);

    private final String safetensorsName;
    private final String torchStorage;
    private final int bytes;
    private final boolean floating;

    TensorDtype(String safetensorsName, String torchStorage, int bytes, boolean floating) {
        this.safetensorsName = safetensorsName;
        this.torchStorage = torchStorage;
        this.bytes = bytes;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    public static Optional<TensorDtype> fromSafetensors(String name) {
        return Arrays.stream(values()).filter(d -> d.safetensorsName.equals(name)).findFirst();
    }

    /** The dtype of a pickled {@code torch.<X>Storage} class name. */
    public static Optional<TensorDtype> fromTorchStorage(String className) {
        return Arrays.stream(values()).filter(d -> d.torchStorage.equals(className)).findFirst();
    }

    /** The element at byte {@code offset} of a little-endian buffer, as float32. */
    float read(ByteBuffer buffer, int offset) {
        return switch (this) {
            case F32 -> buffer.getFloat(offset);
            case F16 -> halfToFloat(buffer.getShort(offset));
            case BF16 -> Float.intBitsToFloat((buffer.getShort(offset) & 0xFFFF) << 16);
            case F64 -> (float) buffer.getDouble(offset);
            case I64 -> (float) buffer.getLong(offset);
            case I32 -> (float) buffer.getInt(offset);
            case I16 -> buffer.getShort(offset);
            case I8 -> buffer.get(offset);
            case U8 -> buffer.get(offset) & 0xFF;
            case BOOL -> buffer.get(offset) != 0 ? 1f : 0f;
        };
    }

    /** IEEE 754 binary16 to binary32, exactly (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
