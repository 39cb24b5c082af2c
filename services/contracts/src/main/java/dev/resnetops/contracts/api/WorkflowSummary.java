package dev.resnetops.contracts.api;

import java.util.List;

/**
 * A workflow of the server's catalog, as {@code GET /workflows} lists it.
 *
 * @param problems why the definition cannot run ({@code file:line: problem}); empty for a good one.
 *                 A broken file is listed rather than hidden, so its author sees why.
 */
public record WorkflowSummary(String name, String description, List<WorkflowParameterView> parameters,
                              List<String> problems) {
}
