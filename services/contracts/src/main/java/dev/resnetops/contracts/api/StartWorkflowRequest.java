package dev.resnetops.contracts.api;

import java.util.Map;

/**
 * Body of {@code POST /workflows/{name}/runs}.
 *
 * @param parameters overrides of the workflow's parameter defaults, typed as the parameters declare
 *                   them (an int is {@code 3}, never {@code "3"}); null or empty for the defaults
 */
public record StartWorkflowRequest(Map<String, Object> parameters) {
}
