package io.lrscope.analyzer.curve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a sweep's curve into a recommendation, exactly as DESIGN.md defines it: burn-in,
 * bias-corrected EMA smoothing, divergence on the fast EMA, the minimum, the one-decade pick
 * and the steepest descent. This is the only implementation; the Streams processor, {@code
 * lrscope analyze} and the replay audit all call it.
 *
 * <p>The slow EMA is what picks are made on; it lags about a decade of LR behind a blow-up, so
 * divergence is detected on the fast one instead.
 */
public final class CurveAnalyzer {

    private final CurveSettings settings;

    public CurveAnalyzer(CurveSettings settings) {
        this.settings = settings;
    }

    public CurveSettings settings() {
        return settings;
    }

    /**
     * Analyses the curve.
     *
     * @param plannedSteps the sweep's planned steps when known (SweepStarted or a flag), else
     *     null: then N is the number of complete steps seen
     */
    public CurveAnalysis analyze(SweepCurve curve, Integer plannedSteps) {
        List<CurvePoint> points = curve.completePoints();
        int n = plannedSteps != null ? plannedSteps : points.size();
        int burnIn = (int) Math.floor(settings.burnInFraction() * n);

        Walk walk = walk(points, burnIn);
        List<SmoothedPoint> usable = walk.usable;
        Builder result = new Builder(curve, points, n, burnIn, walk);

        String invalid = inconsistency(curve, points);
        if (invalid != null) {
            return result.noPick(Verdict.INVALID_SWEEP, null, invalid);
        }
        if (usable.size() < CurveSettings.MIN_USABLE_POINTS) {
            return result.noPick(
                    Verdict.INSUFFICIENT_DATA,
                    null,
                    "fewer than " + CurveSettings.MIN_USABLE_POINTS + " usable points");
        }

        int min = indexOfMinimum(usable);
        double start = usable.get(0).smoothed();
        double minLoss = usable.get(min).smoothed();
        double fell = start - minLoss;
        // A curve that never fell at all has no descent even when it starts at 0 (an all-zero
        // loss would otherwise pass "fell less than 1 % of 0" and pick by its first point).
        if (fell <= 0 || fell < settings.minDescentFraction() * Math.abs(start)) {
            return result.noPick(
                    Verdict.NO_DESCENT,
                    minLoss,
                    "no descent: the smoothed loss never fell "
                            + percent(settings.minDescentFraction())
                            + " below its start");
        }

        double minLossLr = usable.get(min).lr();
        double steepestLr = usable.get(indexOfSteepest(usable)).lr();
        int tail = Math.max(1, (int) Math.ceil(
                CurveSettings.INCONCLUSIVE_TAIL_FRACTION * usable.size()));
        boolean inconclusive = walk.divergedAtStep == null && min >= usable.size() - tail;
        return result.pick(
                inconclusive ? Verdict.INCONCLUSIVE : Verdict.PICK,
                minLoss,
                minLossLr,
                minLossLr / 10,
                steepestLr);
    }

    /**
     * The same as {@link #analyze(SweepCurve, Integer)}, reusing {@code previous} (this curve's
     * analysis before its latest records) when it cannot differ: the curve had already
     * diverged, N is fixed by {@code plannedSteps}, and the new points only extend the curve
     * past its end in step order with rising lr (same ranks, no lr conflict). Nothing before the
     * divergence moved, so every number stays; only the plotted points and the counters are
     * new. Any other change gets a full analysis.
     *
     * @param previous the last analysis of this curve, or null
     */
    public CurveAnalysis analyze(SweepCurve curve, Integer plannedSteps, CurveAnalysis previous) {
        if (previous == null
                || previous.divergedAtStep() == null
                || previous.verdict() == Verdict.INVALID_SWEEP
                || plannedSteps == null
                || previous.plannedSteps() != plannedSteps
                || previous.ranks() != curve.rankCount()
                || curve.lrConflictStep() != null) {
            return analyze(curve, plannedSteps);
        }
        List<CurvePoint> points = curve.completePoints();
        List<CurvePoint> before = previous.points();
        if (points.size() < before.size()
                || !points.subList(0, before.size()).equals(before)) {
            return analyze(curve, plannedSteps);
        }
        for (int i = Math.max(1, before.size()); i < points.size(); i++) {
            if (!(points.get(i).lr() > points.get(i - 1).lr())) {
                return analyze(curve, plannedSteps);
            }
        }
        return new CurveAnalysis(previous.verdict(), previous.plannedSteps(), previous.burnIn(),
                curve.duplicates(), curve.rankCount(), points, previous.smoothed(),
                previous.divergedAtStep(), previous.divergence(), previous.minLoss(),
                previous.minLossLr(), previous.pickLr(), previous.steepestLr(),
                previous.reason());
    }

    /** The smoothing and divergence pass over the points in step order. */
    private Walk walk(List<CurvePoint> points, int burnIn) {
        Walk walk = new Walk(points.size());
        double beta = settings.beta();
        double betaFast = settings.betaFast();
        double avg = 0;
        double avgFast = 0;
        double betaPower = 1;
        double betaFastPower = 1;
        double lowestFast = Double.POSITIVE_INFINITY;

        for (int i = 0; i < points.size(); i++) {
            CurvePoint point = points.get(i);
            if (!Double.isFinite(point.loss())) {
                walk.diverge(point.step(), String.format(Locale.ROOT,
                        "loss is %s at step %d", point.loss(), point.step()));
                return walk;
            }
            if (i < burnIn) {
                continue;
            }

            avg = beta * avg + (1 - beta) * point.loss();
            avgFast = betaFast * avgFast + (1 - betaFast) * point.loss();
            betaPower *= beta;
            betaFastPower *= betaFast;
            double smoothed = avg / (1 - betaPower);
            double fast = avgFast / (1 - betaFastPower);

            if (lowestFast > 0
                    && lowestFast != Double.POSITIVE_INFINITY
                    && fast > settings.divergenceFactor() * lowestFast) {
                walk.diverge(point.step(), String.format(Locale.ROOT,
                        "fast-smoothed loss %.4g exceeded %s x its best %.4g at step %d",
                        fast, trim(settings.divergenceFactor()), lowestFast, point.step()));
                return walk;
            }
            lowestFast = Math.min(lowestFast, fast);
            walk.usable.add(new SmoothedPoint(point.step(), point.lr(), smoothed));
        }
        return walk;
    }

    /** Lr must rise strictly with step and be one value per step; the first breach is named. */
    private static String inconsistency(SweepCurve curve, List<CurvePoint> points) {
        if (curve.lrConflictStep() != null) {
            return "invalid sweep: lr changed within step " + curve.lrConflictStep()
                    + " (records of one optimizer step disagree on the lr)";
        }
        for (int i = 1; i < points.size(); i++) {
            CurvePoint previous = points.get(i - 1);
            CurvePoint point = points.get(i);
            if (!(point.lr() > previous.lr())) {
                return String.format(Locale.ROOT,
                        "invalid sweep: lr not monotonic at step %d "
                                + "(lr %.3e after %.3e at step %d)",
                        point.step(), point.lr(), previous.lr(), previous.step());
            }
        }
        return null;
    }

    private static int indexOfMinimum(List<SmoothedPoint> usable) {
        int min = 0;
        for (int k = 1; k < usable.size(); k++) {
            if (usable.get(k).smoothed() < usable.get(min).smoothed()) {
                min = k;
            }
        }
        return min;
    }

    /** Index of the most negative slope of smoothed loss over log10(lr), from index 3 on. */
    private static int indexOfSteepest(List<SmoothedPoint> usable) {
        int m = usable.size();
        int steepest = -1;
        double lowestSlope = Double.POSITIVE_INFINITY;
        for (int k = CurveSettings.STEEPEST_FIRST_INDEX; k < m; k++) {
            int before = k == 0 ? 0 : (k == m - 1 ? m - 2 : k - 1);
            int after = k == 0 ? 1 : (k == m - 1 ? m - 1 : k + 1);
            double dx = Math.log10(usable.get(after).lr()) - Math.log10(usable.get(before).lr());
            if (dx == 0) {
                continue;
            }
            double slope = (usable.get(after).smoothed() - usable.get(before).smoothed()) / dx;
            if (slope < lowestSlope) {
                lowestSlope = slope;
                steepest = k;
            }
        }
        return steepest < 0 ? indexOfMinimum(usable) : steepest;
    }

    private static String percent(double fraction) {
        return trim(fraction * 100) + "%";
    }

    private static String trim(double value) {
        return value == Math.rint(value)
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    private static final class Walk {
        final List<SmoothedPoint> usable;
        Long divergedAtStep;
        String divergence;

        Walk(int points) {
            usable = new ArrayList<>(points);
        }

        void diverge(long step, String why) {
            divergedAtStep = step;
            divergence = why;
        }
    }

    private static final class Builder {
        final SweepCurve curve;
        final List<CurvePoint> points;
        final int n;
        final int burnIn;
        final Walk walk;

        Builder(SweepCurve curve, List<CurvePoint> points, int n, int burnIn, Walk walk) {
            this.curve = curve;
            this.points = points;
            this.n = n;
            this.burnIn = burnIn;
            this.walk = walk;
        }

        CurveAnalysis noPick(Verdict verdict, Double minLoss, String reason) {
            return new CurveAnalysis(verdict, n, burnIn, curve.duplicates(), curve.rankCount(),
                    points, List.copyOf(walk.usable), walk.divergedAtStep, walk.divergence,
                    minLoss, null, null, null, reason);
        }

        CurveAnalysis pick(Verdict verdict, double minLoss, double minLossLr, double pickLr,
                double steepestLr) {
            return new CurveAnalysis(verdict, n, burnIn, curve.duplicates(), curve.rankCount(),
                    points, List.copyOf(walk.usable), walk.divergedAtStep, walk.divergence,
                    minLoss, minLossLr, pickLr, steepestLr, null);
        }
    }
}
