package dev.resnetops.vision.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The deterministic randomness of the loader: which samples, in which order, with which augmentation
 * seed. Everything is a pure function of (seed, epoch, index), which is what makes batches identical
 * whatever the number of worker threads.
 */
final class SampleOrder {

    private SampleOrder() {
    }

    /**
     * The sample indices used, ascending: all of {@code 0..size-1}, or a fixed subset of {@code limit} chosen
     * by {@code seed} alone, so every epoch sees the same subset.
     */
    static int[] subset(int size, int limit, long seed) {
        if (limit <= 0 || limit >= size) {
            return identity(size);
        }
        int[] chosen = Arrays.copyOf(permutation(identity(size), mix(seed, 0x5EB5E7L, 0)), limit);
        Arrays.sort(chosen);
        return chosen;
    }

    /** This epoch's order of {@code indices}: shuffled by (seed, epoch) or left as is. */
    static int[] epochOrder(int[] indices, boolean shuffle, long seed, int epoch) {
        return shuffle ? permutation(indices.clone(), mix(seed, 0xE90C4L, epoch)) : indices.clone();
    }

    /** A generator for augmenting sample {@code index} in {@code epoch}; independent of batch and thread. */
    static SplittableRandom sampleRandom(long seed, int epoch, int index) {
        return new SplittableRandom(mix(seed, epoch, index));
    }

    private static int[] permutation(int[] values, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = values.length - 1; i > 0; i--) { // Fisher-Yates
            int j = rng.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return values;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /** Combines three numbers into a well-scrambled seed (SplitMix64 finaliser after each step). */
    static long mix(long a, long b, long c) {
        long h = scramble(a + 0x9E3779B97F4A7C15L);
        h = scramble(h ^ (b + 0x9E3779B97F4A7C15L));
        return scramble(h ^ (c + 0x9E3779B97F4A7C15L));
    }

    private static long scramble(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
