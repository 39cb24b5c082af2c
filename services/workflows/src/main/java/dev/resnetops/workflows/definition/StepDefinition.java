package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;

/** One entry of {@code steps:}: an id, a kind, explicit dependencies, and the kind's own fields. */
public sealed interface StepDefinition permits IngestStep, TrainStep, EvaluateStep, ExportStep, PromoteStep, FanOutStep {

    String id();

    /** Line of the step's {@code id}. */
    int line();

    StepKind kind();

    /** The steps named in {@code needs:}. */
    List<StepLink> needs();

    /** Steps the kind's fields name and must wait for ({@code of}, {@code candidates}); not {@code extends}. */
    List<StepLink> implied();

    /** Every value of the step with the type it must have. */
    List<ValueSite> values();

    /** Everything this step waits for: needs, implied, and the steps whose outputs it reads. */
    default List<StepLink> dependencies() {
        List<StepLink> all = new ArrayList<>(needs());
        all.addAll(implied());
        for (ValueSite site : values()) {
            Values.outputReferences(site.value()).forEach(ref -> all.add(new StepLink(ref.step(), ref.line())));
        }
        return all;
    }
}
