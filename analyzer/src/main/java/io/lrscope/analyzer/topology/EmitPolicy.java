package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.curve.CurveAnalysis;
import java.util.Objects;

/**
 * When a running recommendation is worth sending. Subscribers want to hear that the answer
 * changed, not about every step: a new verdict, divergence or reason is sent at once; otherwise
 * at most one per sweep every {@value #MIN_RUNNING_INTERVAL_MS} ms of wall-clock time, and only
 * when the pick or the steepest point moved by at least {@value #MATERIAL_LR_CHANGE_DECADES}
 * decade since the last one sent or, so that progress shows, a tenth of the planned steps
 * (at least {@value #EMIT_EVERY_POINTS} points) went by. The final recommendation is always sent.
 *
 * <p>During the descent of an exponential ramp the minimum moves with every step, so "any
 * change" would mean a recommendation per event; a tenth of a decade is far below what the
 * one-decade pick can resolve.
 */
final class EmitPolicy {

    static final int EMIT_EVERY_POINTS = 10;
    static final double MATERIAL_LR_CHANGE_DECADES = 0.1;
    static final long MIN_RUNNING_INTERVAL_MS = 1000;

    private EmitPolicy() {}

    static boolean changedMaterially(SweepState state, CurveAnalysis analysis, long nowMillis) {
        if (state.lastEmittedPoints < 0
                || !signature(analysis).equals(state.lastEmittedSignature)) {
            return true;
        }
        if (nowMillis - state.lastEmittedMillis < MIN_RUNNING_INTERVAL_MS) {
            return false;
        }
        if (moved(state.lastEmittedPickLr, analysis.pickLr())
                || moved(state.lastEmittedSteepestLr, analysis.steepestLr())) {
            return true;
        }
        Integer planned = state.plannedSteps();
        int every = Math.max(EMIT_EVERY_POINTS, planned == null ? 0 : planned / 10);
        return analysis.points().size() - state.lastEmittedPoints >= every;
    }

    /**
     * Whether points arrived since the last running recommendation and the rate limit's
     * interval has passed: the punctuator then sends what the rate limit held back.
     */
    static boolean heldBack(SweepState state, long nowMillis) {
        return state.lastEmittedPoints >= 0
                && state.curve.completeCount() != state.lastEmittedPoints
                && nowMillis - state.lastEmittedMillis >= MIN_RUNNING_INTERVAL_MS;
    }

    /** Notes what was sent, for the next comparison. */
    static void remember(SweepState state, CurveAnalysis analysis, long nowMillis) {
        state.lastEmittedMillis = nowMillis;
        state.lastEmittedSignature = signature(analysis);
        state.lastEmittedPoints = analysis.points().size();
        state.lastEmittedPickLr = analysis.pickLr() == null ? Double.NaN : analysis.pickLr();
        state.lastEmittedSteepestLr =
                analysis.steepestLr() == null ? Double.NaN : analysis.steepestLr();
    }

    private static boolean moved(double last, Double now) {
        if (now == null || Double.isNaN(last)) {
            return now != null || !Double.isNaN(last);
        }
        return Math.abs(Math.log10(now / last)) >= MATERIAL_LR_CHANGE_DECADES;
    }

    private static String signature(CurveAnalysis a) {
        return a.verdict() + "|" + a.divergedAtStep() + "|" + Objects.hashCode(a.reason());
    }
}
