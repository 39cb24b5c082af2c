package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The run's budget as resolved: the planner has already refused a plan with more trainings than
 * {@code maxTrainings}; {@code maxParallel} is for the executor to honour (null = its own default).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanLimits(Integer maxTrainings, Integer maxParallel) {
}
