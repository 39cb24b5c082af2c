package dev.resnetops.contracts.api;

import java.util.List;

/**
 * A parameter a request to run a workflow may set.
 *
 * @param type         string, int, number or bool: what {@code POST /workflows/{name}/runs} accepts
 * @param defaultValue null when every request must set it
 * @param values       the only values accepted, when not empty
 * @param min          inclusive bound of an int or number, or null
 */
public record WorkflowParameterView(String name, String type, Object defaultValue, String description,
                                    List<Object> values, Double min, Double max) {
}
