package io.lrscope.analyzer.curve;

/**
 * The knobs of the analysis, with the defaults DESIGN.md defines. Built once and validated, so
 * a bad value fails at start with the field and the value, not deep inside a stream thread.
 *
 * @param beta smoothing factor of the slow EMA that picks are made on (default 0.98)
 * @param betaFast smoothing factor of the fast EMA that detects divergence (default 0.9)
 * @param divergenceFactor divergence when the fast loss exceeds this × its best (default 3)
 * @param minDescentFraction no pick unless the smoothed loss fell this far below its start
 *     (default 0.01)
 * @param burnInFraction leading share of the planned steps neither smoothed nor picked (0.1)
 */
public record CurveSettings(
        double beta,
        double betaFast,
        double divergenceFactor,
        double minDescentFraction,
        double burnInFraction) {

    /** Fewer usable points than this give no pick. */
    public static final int MIN_USABLE_POINTS = 5;

    /** The steepest point is looked for from this usable index on; earlier ones are noise. */
    public static final int STEEPEST_FIRST_INDEX = 3;

    /** A minimum among the last ceil(this × m) usable points, with no divergence: inconclusive. */
    public static final double INCONCLUSIVE_TAIL_FRACTION = 0.05;

    public static CurveSettings defaults() {
        return new CurveSettings(0.98, 0.9, 3.0, 0.01, 0.1);
    }

    public CurveSettings {
        requireOpenUnit("beta", beta);
        requireOpenUnit("betaFast", betaFast);
        if (!(divergenceFactor > 1) || Double.isInfinite(divergenceFactor)) {
            throw new IllegalArgumentException(
                    "divergenceFactor=" + divergenceFactor + ": must be a finite number > 1");
        }
        if (!(minDescentFraction >= 0 && minDescentFraction < 1)) {
            throw new IllegalArgumentException(
                    "minDescentFraction=" + minDescentFraction + ": must be in [0, 1)");
        }
        if (!(burnInFraction >= 0 && burnInFraction < 1)) {
            throw new IllegalArgumentException(
                    "burnInFraction=" + burnInFraction + ": must be in [0, 1)");
        }
    }

    private static void requireOpenUnit(String field, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(field + "=" + value + ": must be in (0, 1)");
        }
    }
}
