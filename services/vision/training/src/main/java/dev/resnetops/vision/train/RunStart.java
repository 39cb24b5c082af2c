package dev.resnetops.vision.train;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.weights.InitReport;

/**
 * What a run starts with.
 *
 * @param parameters learnable parameters that train (the frozen part of a fine-tuning run excluded)
 * @param firstEpoch 1-based epoch the run continues with (greater than 1 after a resume)
 * @param init where the starting weights came from (also after a resume: the first start's)
 * @param preprocessing how images are prepared, normalisation included: what the model is saved with
 */
public record RunStart(
        TrainingConfig config,
        String device,
        String precision,
        String precisionReason,
        long parameters,
        int trainSamples,
        int testSamples,
        int stepsPerEpoch,
        int firstEpoch,
        String datasetName,
        String datasetHash,
        InitReport init,
        Preprocessing preprocessing) {}
