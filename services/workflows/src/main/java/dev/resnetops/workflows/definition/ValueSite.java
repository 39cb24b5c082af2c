package dev.resnetops.workflows.definition;

/**
 * Where a value is used and what it must be there: the checker verifies every site's references and
 * types in one place, whatever the step kind.
 *
 * @param field        the field's name as the author wrote it, for messages (e.g. {@code config.epochs})
 * @param outputsAllowed whether a step output may be used here; training configuration fields refuse
 *                     them so that every training configuration is complete and validated at submission
 */
public record ValueSite(String field, Value value, ValueType expected, boolean outputsAllowed) {
}
