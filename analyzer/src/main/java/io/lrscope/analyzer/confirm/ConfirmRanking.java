package io.lrscope.analyzer.confirm;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.advice.TorchtuneYaml;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.Recommendation;
import io.lrscope.events.Recommendation.ConfirmRunResult;
import io.lrscope.events.Recommendation.Confirmation;
import io.lrscope.events.SweepConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Ranks a sweep's confirm runs by final validation loss, lowest first, and names the best run's
 * peak LR the confirmed LR. Ties go to the factor nearer the pick (on a log scale), then to the
 * lower LR: the pick is never overruled by a draw. Runs without a final validation loss
 * (diverged, stopped, failed) share the last rank and are never confirmed.
 *
 * <p>When the winner is the lowest or highest factor tried, the optimum may lie beyond it; the
 * confirmation says so ({@code atEdge}) instead of pretending the bracket was wide enough.
 */
public final class ConfirmRanking {

    private ConfirmRanking() {}

    /**
     * {@code recommendation} with the confirmation of {@code runs} when they are complete, as
     * it is otherwise; the YAML block follows the recommendation's own settings.
     */
    public static Recommendation confirm(Recommendation recommendation, ConfirmRuns runs,
            AdviceSettings advice, long nowMillis) {
        SweepConfig config = recommendation.config();
        Confirmation confirmation = rank(runs, config == null ? null : config.optimizer(),
                advice.trainingSteps(), advice.warmupFraction());
        return confirmation == null
                ? recommendation : recommendation.withConfirmation(confirmation, nowMillis);
    }

    /**
     * The confirmation of {@code runs}, or null until they are {@link ConfirmRuns#complete()}.
     *
     * @param optimizer the sweep's optimizer, for the YAML block (null: adamw)
     * @param trainingSteps and {@code warmupFraction}: as the recommendation's own YAML block
     */
    public static Confirmation rank(ConfirmRuns runs, String optimizer, int trainingSteps,
            double warmupFraction) {
        if (!runs.complete()) {
            return null;
        }
        List<ConfirmStarted> starts = runs.starts();
        List<ConfirmStarted> finished = new ArrayList<>();
        List<ConfirmStarted> unfinished = new ArrayList<>();
        for (ConfirmStarted start : starts) {
            (lossOf(runs, start) != null ? finished : unfinished).add(start);
        }
        finished.sort(Comparator.<ConfirmStarted>comparingDouble(s -> lossOf(runs, s))
                .thenComparingDouble(s -> Math.abs(Math.log(s.factor())))
                .thenComparingDouble(ConfirmStarted::peakLr));
        unfinished.sort(Comparator.comparingDouble(ConfirmStarted::factor));

        List<ConfirmRunResult> evidence = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            evidence.add(result(runs, finished.get(i), i + 1));
        }
        for (ConfirmStarted start : unfinished) {
            evidence.add(result(runs, start, finished.size() + 1));
        }
        double pickLr = starts.get(0).baseLr();
        if (finished.isEmpty()) {
            return new Confirmation(Confirmation.NO_RESULT, null, null, pickLr, false,
                    "no confirm run finished with a validation loss; the pick "
                            + fmt(pickLr) + " is unconfirmed: check the runs, then try lower LRs",
                    evidence, null);
        }

        ConfirmStarted best = finished.get(0);
        double lowest = starts.stream().mapToDouble(ConfirmStarted::factor).min().orElseThrow();
        double highest = starts.stream().mapToDouble(ConfirmStarted::factor).max().orElseThrow();
        boolean atEdge = starts.size() > 1
                && (best.factor() == lowest || best.factor() == highest)
                && !(best.factor() == 1.0 && lowest == 1.0 && highest == 1.0);
        String verdict = best.factor() == 1.0 ? Confirmation.PICK_CONFIRMED
                : best.factor() < 1.0 ? Confirmation.LOWER : Confirmation.HIGHER;
        return new Confirmation(verdict, best.peakLr(), best.factor(), pickLr, atEdge,
                advice(runs, verdict, best, finished, atEdge, lowest, highest), evidence,
                TorchtuneYaml.render(best.peakLr(), optimizer, trainingSteps, warmupFraction));
    }

    private static String advice(ConfirmRuns runs, String verdict, ConfirmStarted best,
            List<ConfirmStarted> finished, boolean atEdge, double lowest, double highest) {
        String scores = String.join(", ", finished.stream()
                .map(s -> "×" + factor(s.factor()) + " " + String.format(Locale.ROOT, "%.4f",
                        lossOf(runs, s)))
                .toList());
        String head = Confirmation.PICK_CONFIRMED.equals(verdict)
                ? "the pick " + fmt(best.peakLr()) + " trained best"
                : "×" + factor(best.factor()) + " of the pick (" + fmt(best.peakLr())
                        + ") trained better than the pick";
        String edge = !atEdge ? ""
                : best.factor() == highest
                        ? "; it is the highest factor tried, so a higher LR may be better still"
                        : best.factor() == lowest
                                ? "; it is the lowest factor tried, so a lower LR may be "
                                        + "better still" : "";
        return head + " (final validation loss " + scores + ")" + edge;
    }

    private static ConfirmRunResult result(ConfirmRuns runs, ConfirmStarted start, int rank) {
        ConfirmEnded end = runs.endOf(start.runId());
        return new ConfirmRunResult(start.runId(), rank, start.factor(), start.peakLr(),
                start.steps(), start.warmupSteps(),
                end.outcome().name().toLowerCase(Locale.ROOT), end.finalValidationLoss(),
                end.validationAccuracy());
    }

    /** A completed run's final validation loss, null for every other outcome. */
    private static Double lossOf(ConfirmRuns runs, ConfirmStarted start) {
        ConfirmEnded end = runs.endOf(start.runId());
        return end != null && end.outcome() == ConfirmEnded.Outcome.COMPLETED
                ? end.finalValidationLoss() : null;
    }

    private static String factor(double factor) {
        String text = String.format(Locale.ROOT, "%.4g", factor);
        return text.contains(".") && !text.contains("e")
                ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    private static String fmt(double lr) {
        return TorchtuneYaml.format(lr);
    }
}
