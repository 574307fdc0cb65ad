package io.lrscope.analyzer.curve;

import java.util.List;

/**
 * The result of analysing one sweep's curve, with the numbers DESIGN.md defines.
 *
 * <p>The LR fields are null unless {@link Verdict#hasPick()}; {@code minLoss} is also given for
 * a flat curve, so a reader sees how flat it was.
 *
 * @param plannedSteps the N the burn-in was taken from
 * @param points the rank-merged points in step order (burn-in and diverged points included)
 * @param smoothed the usable points: after the burn-in, before the divergence
 * @param divergence why the curve was cut (null if it was not)
 * @param reason why there is no pick (null when there is one)
 */
public record CurveAnalysis(
        Verdict verdict,
        int plannedSteps,
        int burnIn,
        int duplicates,
        int ranks,
        List<CurvePoint> points,
        List<SmoothedPoint> smoothed,
        Long divergedAtStep,
        String divergence,
        Double minLoss,
        Double minLossLr,
        Double pickLr,
        Double steepestLr,
        String reason) {

    public int pointsUsed() {
        return smoothed.size();
    }

    public boolean inconclusive() {
        return verdict == Verdict.INCONCLUSIVE;
    }
}
