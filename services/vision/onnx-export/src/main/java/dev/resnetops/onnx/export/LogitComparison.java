package dev.resnetops.onnx.export;

/**
 * How far two runs of the same model apart: the largest absolute logit difference, the logit scale,
 * and how many images change their Top-1 class.
 *
 * <p>Tolerance: {@code 1e-3 * max|reference logit| + 1e-4}. Relative to the scale because float32
 * summation-order error grows with the logits' magnitude (a trained net's logits reach tens); the
 * absolute floor covers logits near zero. Measured differences between DJL and ONNX Runtime are
 * about 5e-7 of the logit scale (docs/onnx.md), so the gate has ample headroom and still catches a
 * single wrong initializer.
 */
public record LogitComparison(int images, float maxAbsDiff, float maxAbsLogit, float tolerance, int top1Mismatches) {

    public static final float RELATIVE_TOLERANCE = 1e-3f;
    public static final float ABSOLUTE_TOLERANCE = 1e-4f;

    public static LogitComparison of(float[][] reference, float[][] candidate) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("compared " + reference.length + " reference rows with "
                    + candidate.length + " candidate rows");
        }
        float maxDiff = 0;
        float maxLogit = 0;
        int mismatches = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i].length != candidate[i].length) {
                throw new IllegalArgumentException("image " + i + ": reference has " + reference[i].length
                        + " logits, candidate " + candidate[i].length);
            }
            for (int k = 0; k < reference[i].length; k++) {
                // NaN must fail the gate, and Math.max propagates NaN where a comparison would drop it.
                maxDiff = Math.max(maxDiff, Math.abs(reference[i][k] - candidate[i][k]));
                maxLogit = Math.max(maxLogit, Math.abs(reference[i][k]));
            }
            if (argMax(reference[i]) != argMax(candidate[i])) {
                mismatches++;
            }
        }
        return new LogitComparison(reference.length, maxDiff, maxLogit,
                RELATIVE_TOLERANCE * maxLogit + ABSOLUTE_TOLERANCE, mismatches);
    }

    public boolean passed() {
        return maxAbsDiff <= tolerance && top1Mismatches == 0;
    }

    static int argMax(float[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }
}
