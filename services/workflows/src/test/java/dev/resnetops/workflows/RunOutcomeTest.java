package dev.resnetops.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.workflows.definition.PromoteCondition;
import dev.resnetops.workflows.plan.PromotionDecision;
import dev.resnetops.workflows.plan.PromotionDecision.Candidate;
import dev.resnetops.workflows.plan.ResultTable;
import dev.resnetops.workflows.plan.WorkflowPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The result table and the promotion rule an executor applies to recorded outputs. */
class RunOutcomeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ablationTableHasEachRowsMetricsAndItsDifferenceToTheBaseline() throws Exception {
        WorkflowPlan plan = WorkflowDefinitions.plan(
                WorkflowCatalog.load(Path.of("../../workflows")).find("paper-ablation").orElseThrow(), Map.of());
        Map<String, JsonNode> outputs = Map.of(
                "baseline/evaluate", JSON.readTree("{\"top1\": 0.50, \"top5\": 0.94}"),
                "paper/evaluate", JSON.readTree("{\"top1\": 0.522, \"top5\": 0.953}"));

        ResultTable table = ResultTable.build(plan.result(), outputs);

        assertThat(table.rows()).hasSize(6);
        ResultTable.Row paper = table.rows().get(4);
        assertThat(paper.label()).isEqualTo("the paper's recipe (all four)");
        assertThat(paper.deltas().get("top1")).isCloseTo(0.022, offset(1e-9));
        assertThat(table.rows().get(0).deltas().get("top5")).isZero();
        assertThat(table.rows().get(1).values().get("top1")).isNull();
        assertThat(table.toMarkdown()).startsWith("| row | top1 | \u0394 top1 | top5 | \u0394 top5 |\n|---|---|---|---|---|\n"
                + "| ResNet-50 (baseline) | 50.00 | +0.00 | 94.00 | +0.00 |\n"
                + "| + average-pool Stage-4 shortcut | - | - | - | - |\n")
                .contains("| the paper's recipe (all four) | 52.20 | +2.20 | 95.30 | +1.30 |");
        assertThat(JSON.readTree(JSON.writeValueAsString(table)).get("rows").get(4).get("deltas").get("top1").asDouble())
                .isCloseTo(0.022, offset(1e-9));
        assertThat(table.toCsv()).startsWith("row,train,top1,delta_top1,top5,delta_top5\n"
                + "ResNet-50 (baseline),baseline,0.5,0.0,0.94,0.0\n"
                + "+ average-pool Stage-4 shortcut,avgpool-shortcut,,,,\n");
    }

    @Test
    void storedTableReadsBackAsTheSameTable() throws Exception {
        ResultTable table = ResultTable.build(WorkflowDefinitions.plan(
                WorkflowCatalog.load(Path.of("../../workflows")).find("paper-ablation").orElseThrow(), Map.of()).result(),
                Map.of("baseline/evaluate", JSON.readTree("{\"top1\": 0.5, \"top5\": 0.9}")));

        ResultTable again = JSON.readValue(JSON.writeValueAsString(table), ResultTable.class);

        assertThat(again).isEqualTo(table);
        assertThat(again.toMarkdown()).isEqualTo(table.toMarkdown());
    }

    @Test
    void bestTop1PromotesTheBestCandidateAndTheFirstOnATie() {
        PromotionDecision decision = PromotionDecision.decide(PromoteCondition.BEST_TOP1, 0,
                List.of(new Candidate("a", 0.8), new Candidate("b", 0.9), new Candidate("c", 0.9)), OptionalDouble.of(0.95));

        assertThat(decision.winner()).isEqualTo("b");
        assertThat(decision.promote()).isTrue();
    }

    @Test
    void beatsChampionNeedsAStrictMarginOfAtLeastTheMinimum() {
        List<Candidate> candidates = List.of(new Candidate("a", 0.905), new Candidate("b", 0.91));

        assertThat(PromotionDecision.decide(PromoteCondition.BEATS_CHAMPION, 0.005, candidates, OptionalDouble.of(0.9))
                .promote()).isTrue();
        assertThat(PromotionDecision.decide(PromoteCondition.BEATS_CHAMPION, 0.02, candidates, OptionalDouble.of(0.9))
                .reason()).isEqualTo("b has the best Top-1 (91.00), not above the alias holder's 90.00 by at least"
                + " 2.00 points");
        assertThat(PromotionDecision.decide(PromoteCondition.BEATS_CHAMPION, 0, candidates, OptionalDouble.of(0.91))
                .promote()).as("a tie does not replace the champion").isFalse();
        assertThat(PromotionDecision.decide(PromoteCondition.BEATS_CHAMPION, 0.5, candidates, OptionalDouble.empty())
                .promote()).as("no champion yet").isTrue();
    }
}
