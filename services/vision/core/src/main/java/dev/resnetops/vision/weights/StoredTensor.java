package dev.resnetops.vision.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One tensor of a weights file: its name in the file, the dtype it was stored in, its shape and its
 * values in row-major order, as float32 (see {@link TensorDtype} for the conversion).
 */
public record StoredTensor(String name, TensorDtype dtype, long[] shape, float[] values) {

    public StoredTensor {
        shape = shape.clone();
        if (numel(shape) != values.length) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + describe(shape) + " needs "
                    + numel(shape) + " values, found " + values.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    /** Elements of a shape (1 for a scalar); an overflow or negative dimension gives -1. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** {@code [64, 3, 7, 7]}, the way errors and logs show shapes. */
    public static String describe(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + describe(shape);
    }
}
