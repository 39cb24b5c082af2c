package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Compares our state-dict tensors after a step with a snapshot of make_pretrained_fixtures.py: its
 * "tracked" tensors element by element, and every floating-point tensor's sum and sum of squares, so
 * that no tensor can drift unseen.
 */
final class FixtureSnapshot {

    private FixtureSnapshot() {}

    /**
     * @param tolerance on each tracked element (absolute: the values are of order 1), and relative on
     *     the sums (to the root of the sum of squares) and sums of squares, both floored at 1
     */
    static void assertMatches(String label, JsonNode snapshot, Map<String, double[]> actual, double tolerance) {
        snapshot.path("tracked").fields().forEachRemaining(tensor -> {
            double[] values = actual.get(tensor.getKey());
            double worst = 0;
            for (int i = 0; i < values.length; i++) {
                worst = Math.max(worst, Math.abs(values[i] - tensor.getValue().get(i).asDouble()));
            }
            assertThat(worst).as("%s, %s: max |Java - PyTorch|", label, tensor.getKey())
                    .isLessThanOrEqualTo(tolerance);
        });
        snapshot.path("sums").fields().forEachRemaining(sums -> {
            double[] values = actual.get(sums.getKey());
            if (values == null) {
                return; // num_batches_tracked is not a float tensor in our network
            }
            double sum = 0;
            double squares = 0;
            for (double v : values) {
                sum += v;
                squares += v * v;
            }
            double wantSum = sums.getValue().get(0).asDouble();
            double wantSquares = sums.getValue().get(1).asDouble();
            assertThat(sum).as("%s, sum of %s", label, sums.getKey())
                    .isCloseTo(wantSum, offset(tolerance * Math.max(1, Math.sqrt(wantSquares))));
            assertThat(squares).as("%s, sum of squares of %s", label, sums.getKey())
                    .isCloseTo(wantSquares, offset(tolerance * Math.max(1, wantSquares)));
        });
    }
}
