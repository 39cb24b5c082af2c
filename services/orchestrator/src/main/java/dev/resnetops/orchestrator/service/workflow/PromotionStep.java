package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.orchestrator.repository.ModelRepository;
import dev.resnetops.orchestrator.repository.WorkflowStepRow;
import dev.resnetops.orchestrator.service.ModelService;
import dev.resnetops.orchestrator.service.RequestRefused;
import dev.resnetops.workflows.definition.PromoteCondition;
import dev.resnetops.workflows.plan.PromotionDecision;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A promote step: picks the best evaluated candidate with {@link PromotionDecision} and moves the alias
 * to its model version as {@code POST /models/{name}/promote} does. Waits (stays RUNNING) until the
 * winner's version is registered and while MLflow is unreachable.
 */
@ApplicationScoped
class PromotionStep {

    private static final Logger LOG = Logger.getLogger(PromotionStep.class);

    private final ModelRepository models;
    private final ModelService modelService;

    PromotionStep(ModelRepository models, ModelService modelService) {
        this.models = models;
        this.modelService = modelService;
    }

    StepOutcome decideAndMove(WorkflowStepRow step, Map<String, JsonNode> outputs) {
        ObjectNode inputs = step.planned().inputsWith(outputs);
        List<PromotionDecision.Candidate> candidates = new ArrayList<>();
        Map<String, UUID> jobs = new HashMap<>();
        for (JsonNode candidate : inputs.path("candidates")) {
            String train = candidate.path("train").asText();
            JsonNode evaluation = outputs.get(candidate.path("evaluate").asText());
            candidates.add(new PromotionDecision.Candidate(train, evaluation.path("top1").asDouble()));
            jobs.put(train, UUID.fromString(outputs.get(train).path("job").asText()));
        }
        PromoteCondition condition = PromoteCondition.fromKey(inputs.path("condition").asText())
                .orElseThrow(() -> new IllegalStateException("step " + step.key() + " has an unknown condition"));
        String alias = inputs.path("alias").asText(ModelService.CHAMPION);
        double minImprovement = inputs.path("minImprovement").asDouble(0);

        PromotionDecision winnerOnly = PromotionDecision.decide(PromoteCondition.BEST_TOP1, 0, candidates,
                OptionalDouble.empty());
        Optional<ModelVersionView> version = models.byJob(jobs.get(winnerOnly.winner()));
        if (version.isEmpty()) {
            return StepOutcome.waiting(); // the evaluator registers the version right after the test numbers
        }
        OptionalDouble holderTop1 = models.byAlias(version.get().model(), alias)
                .filter(holder -> holder.top1() != null).map(holder -> OptionalDouble.of(holder.top1()))
                .orElse(OptionalDouble.empty());
        PromotionDecision decision = PromotionDecision.decide(condition, minImprovement, candidates, holderTop1);
        if (decision.promote()) {
            try {
                modelService.promote(version.get().model(), version.get().version(), alias);
            } catch (RequestRefused e) {
                if (e.reason() == RequestRefused.Reason.UNAVAILABLE) {
                    LOG.debugf("step %s waits for MLflow: %s", step.key(), e.getMessage());
                    return StepOutcome.waiting();
                }
                return StepOutcome.failed(e.getMessage(), false);
            }
        }
        LOG.infof("workflow step %s: %s", step.key(), decision.reason());
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("promoted", decision.promote())
                .put("winner", decision.winner()).put("model", version.get().model())
                .put("version", version.get().version()).put("top1", decision.top1()).put("reason", decision.reason());
        return StepOutcome.succeeded(output);
    }
}
