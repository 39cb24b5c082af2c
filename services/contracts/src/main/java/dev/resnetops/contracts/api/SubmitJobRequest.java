package dev.resnetops.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /jobs}.
 *
 * @param dataset    a dataset id, or a dataset name (its newest READY registration)
 * @param config     the training configuration, same fields as a {@code mlops train --config} file; the
 *                   model is a preset name (see {@code GET /models}); omitted fields take the defaults
 * @param experiment MLflow experiment name; defaults to the dataset's name
 */
public record SubmitJobRequest(String dataset, JsonNode config, String experiment) {
}
