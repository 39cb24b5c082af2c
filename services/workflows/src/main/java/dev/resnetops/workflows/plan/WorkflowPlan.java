package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow bound to one request: the parameters in force and the concrete steps in an order where
 * every step comes after the steps it depends on. A pure function of the definition text and the
 * parameters, so an executor that stored both can always plan again and get the same keys.
 *
 * @param parameters every parameter's value for this run (defaults included)
 * @param result     how to build the result table, or null when the workflow defines none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowPlan(String workflow, Map<String, Object> parameters, List<PlannedStep> steps,
                           PlanLimits limits, ResultSpec result) {

    public WorkflowPlan {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        steps = List.copyOf(steps);
    }

    public Optional<PlannedStep> step(String key) {
        return steps.stream().filter(step -> step.key().equals(key)).findFirst();
    }
}
