package io.lrscope.analyzer.advice;

import io.lrscope.analyzer.AnalyzerVersion;
import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.Verdict;
import io.lrscope.events.Recommendation;
import io.lrscope.events.Recommendation.AnalysisParams;
import io.lrscope.events.Recommendation.LrRange;
import io.lrscope.events.Recommendation.ScaledLr;
import io.lrscope.events.SchemaVersion;
import io.lrscope.events.SweepConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a curve analysis into the public {@link Recommendation}: the picks, plus what a person
 * needs to act on them (advice, scaled LRs, the community default, a YAML block). Used by the
 * Streams processor, {@code lrscope analyze} and the replay audit alike, so all three agree.
 */
public final class RecommendationFactory {

    /** Sweeps shorter than this smooth poorly: the 0.98 EMA lags over too few points. */
    static final int SHORT_SWEEP_POINTS = 50;

    private static final double[] BATCH_FACTORS = {0.5, 2, 4, 8};

    private final CurveSettings curveSettings;
    private final AdviceSettings adviceSettings;

    public RecommendationFactory(CurveSettings curveSettings, AdviceSettings adviceSettings) {
        this.curveSettings = curveSettings;
        this.adviceSettings = adviceSettings;
    }

    /**
     * Builds the recommendation.
     *
     * @param config the sweep's SweepStarted config, or null when it was never seen
     * @param plannedSteps the N given to the analysis (null: none was known)
     * @param endedBy why the sweep is final ("completed", "stopped: ...", "stale: ..."), or null
     */
    public Recommendation build(
            String sweepId,
            String status,
            CurveAnalysis analysis,
            SweepConfig config,
            Integer plannedSteps,
            String endedBy,
            long lastStep,
            long updatedMillis) {
        Verdict verdict = analysis.verdict();
        boolean pick = verdict.hasPick();
        Long effectiveBatch = config == null ? null : config.effectiveBatch();
        String optimizer = config == null ? null : config.optimizer();
        String model = config == null ? null : config.model();

        return new Recommendation(
                SchemaVersion.CURRENT,
                sweepId,
                status,
                verdict.wireName(),
                lastStep,
                analysis.points().size(),
                analysis.pointsUsed(),
                analysis.burnIn(),
                analysis.duplicates(),
                analysis.ranks(),
                analysis.minLoss(),
                analysis.minLossLr(),
                analysis.pickLr(),
                analysis.steepestLr(),
                analysis.divergedAtStep(),
                analysis.divergence(),
                analysis.inconclusive(),
                analysis.reason(),
                advice(analysis, config, !Recommendation.FINAL.equals(status)),
                pick ? range(analysis) : null,
                effectiveBatch,
                config,
                endedBy,
                pick && effectiveBatch != null ? scaled(analysis.pickLr(), effectiveBatch) : null,
                CommunityDefaults.find(model).orElse(null),
                pick ? TorchtuneYaml.render(analysis.pickLr(), optimizer,
                        adviceSettings.trainingSteps(), adviceSettings.warmupFraction()) : null,
                params(plannedSteps),
                updatedMillis);
    }

    public AnalysisParams params(Integer plannedSteps) {
        return new AnalysisParams(
                curveSettings.beta(),
                curveSettings.betaFast(),
                curveSettings.divergenceFactor(),
                curveSettings.minDescentFraction(),
                curveSettings.burnInFraction(),
                plannedSteps,
                AnalyzerVersion.CURRENT);
    }

    private static LrRange range(CurveAnalysis analysis) {
        double a = analysis.steepestLr();
        double b = analysis.minLossLr();
        return new LrRange(Math.min(a, b), Math.max(a, b));
    }

    private static List<ScaledLr> scaled(double lr, long effectiveBatch) {
        List<ScaledLr> scaled = new ArrayList<>();
        for (double factor : BATCH_FACTORS) {
            long batch = Math.round(effectiveBatch * factor);
            if (batch < 1) {
                continue;
            }
            scaled.add(new ScaledLr(batch, factor,
                    LrScaling.scale(lr, effectiveBatch, batch, LrScaling.Rule.LINEAR),
                    LrScaling.scale(lr, effectiveBatch, batch, LrScaling.Rule.SQRT)));
        }
        return scaled;
    }

    private String advice(CurveAnalysis analysis, SweepConfig config, boolean running) {
        String endLr = config == null ? "the end LR" : "the end LR (" + fmt(config.endLr()) + ")";
        String advice = switch (analysis.verdict()) {
            case PICK -> "use " + fmt(analysis.pickLr())
                    + " as the peak LR of a warmup + cosine schedule; the loss fell fastest at "
                    + fmt(analysis.steepestLr())
                    + (analysis.steepestLr() < analysis.pickLr()
                            ? ", a cautious lower bound" : "");
            case INCONCLUSIVE -> running
                    ? "so far the loss is still falling, so the minimum is the newest point; "
                            + "if it still falls when the sweep ends, raise " + endLr
                    : "the loss was still falling when the sweep ended: raise "
                            + endLr + " about 10x and sweep again; the pick given is only a "
                            + "lower bound";
            case NO_DESCENT -> "the loss never fell: check that the model learns at all, then "
                    + "raise " + endLr + " or sweep more steps";
            case INSUFFICIENT_DATA -> "sweep more steps (100 or more) so there are enough points"
                    + " after the burn-in; keep your configured LR until then";
            case INVALID_SWEEP -> "the LR must rise every optimizer step: detach other LR "
                    + "schedulers and log one event per optimizer step, then sweep again";
        };
        if (analysis.verdict().hasPick() && analysis.pointsUsed() < SHORT_SWEEP_POINTS) {
            advice += "; only " + analysis.pointsUsed()
                    + " usable points: smoothing lags on short sweeps, so prefer 100+ steps";
        }
        return advice;
    }

    private static String fmt(double lr) {
        return String.format(Locale.ROOT, "%.2e", lr);
    }
}
