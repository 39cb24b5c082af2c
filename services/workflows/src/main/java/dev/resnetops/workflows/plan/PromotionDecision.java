package dev.resnetops.workflows.plan;

import dev.resnetops.workflows.definition.PromoteCondition;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What a promote step decides once its candidates are evaluated: the winner is the candidate with the
 * highest test Top-1 (the first in plan order on a tie), and whether it takes the alias.
 *
 * @param winner  the winning candidate's train step key
 * @param promote whether the alias moves to the winner's model version
 * @param reason  one sentence for the step's output and the run's log
 */
public record PromotionDecision(String winner, double top1, boolean promote, String reason) {

    /** A candidate's train step key and its test Top-1 as a fraction. */
    public record Candidate(String train, double top1) {
    }

    /**
     * @param holderTop1 Top-1 of the model version the alias points at now, or empty when it points at none
     */
    public static PromotionDecision decide(PromoteCondition condition, double minImprovement, List<Candidate> candidates,
                                           OptionalDouble holderTop1) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a promotion needs at least one evaluated candidate");
        }
        Candidate best = candidates.get(0);
        for (Candidate candidate : candidates) {
            if (candidate.top1() > best.top1()) {
                best = candidate;
            }
        }
        String bestText = best.train() + " has the best Top-1 (" + percent(best.top1()) + ")";
        if (condition == PromoteCondition.BEST_TOP1) {
            return new PromotionDecision(best.train(), best.top1(), true, bestText);
        }
        if (holderTop1.isEmpty()) {
            return new PromotionDecision(best.train(), best.top1(), true, bestText + "; no model holds the alias yet");
        }
        double margin = best.top1() - holderTop1.getAsDouble();
        // "Beats" is strict: an equal Top-1 does not replace a model that is already serving.
        boolean beats = margin > 0 && margin >= minImprovement;
        return new PromotionDecision(best.train(), best.top1(), beats, bestText + (beats ? ", " : ", not ")
                + "above the alias holder's " + percent(holderTop1.getAsDouble()) + " by at least "
                + percent(minImprovement) + " points");
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }
}
