package dev.resnetops.vision.train;

/**
 * Dynamic loss scaling for fp16 training (Micikevicius et al. 2018; PyTorch's {@code GradScaler}):
 * the loss is multiplied by {@code scale} so small gradients survive fp16; a step whose gradients
 * overflow is skipped and the scale is multiplied by {@code backoff}; after {@code growthInterval}
 * clean steps in a row the scale grows by {@code growth}.
 */
public final class DynamicLossScaler {

    public static final double DEFAULT_INITIAL_SCALE = 65536.0;

    private final double growth;
    private final double backoff;
    private final int growthInterval;
    private double scale;
    private int cleanSteps;

    public DynamicLossScaler(double initialScale, int growthInterval) {
        this(initialScale, 2.0, 0.5, growthInterval, 0);
    }

    private DynamicLossScaler(double scale, double growth, double backoff, int growthInterval, int cleanSteps) {
        if (!(scale > 0) || growthInterval < 1) {
            throw new IllegalArgumentException("loss scale must be > 0 and growth interval >= 1, found "
                    + scale + " and " + growthInterval);
        }
        this.scale = scale;
        this.growth = growth;
        this.backoff = backoff;
        this.growthInterval = growthInterval;
        this.cleanSteps = cleanSteps;
    }

    /** Restores a scaler from a checkpoint. */
    public static DynamicLossScaler restore(State state, int growthInterval) {
        return new DynamicLossScaler(state.scale(), 2.0, 0.5, growthInterval, state.cleanSteps());
    }

    public double scale() {
        return scale;
    }

    /**
     * Records the outcome of a step.
     *
     * @param gradientsFinite false when any gradient was inf or NaN
     * @return true when the optimizer step must be applied, false when it must be skipped
     */
    public boolean update(boolean gradientsFinite) {
        if (!gradientsFinite) {
            scale *= backoff;
            cleanSteps = 0;
            return false;
        }
        if (++cleanSteps >= growthInterval) {
            scale *= growth;
            cleanSteps = 0;
        }
        return true;
    }

    public State state() {
        return new State(scale, cleanSteps);
    }

    /** What a checkpoint keeps of the scaler. */
    public record State(double scale, int cleanSteps) {}
}
