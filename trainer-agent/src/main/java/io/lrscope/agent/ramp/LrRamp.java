package io.lrscope.agent.ramp;

import java.util.Locale;

/**
 * The learning rates of a range test, one per optimizer step: step 0 uses {@code startLr}, step
 * {@code steps - 1} uses {@code endLr}, and every step in between a strictly larger LR than the
 * one before.
 *
 * <p>Exponential (the default) spaces the LRs evenly on a log axis, {@code lr_i = start ·
 * (end/start)^(i/(n-1))}, so each decade gets the same number of steps; linear spaces them evenly
 * on a linear axis and spends most steps in the top decade.
 */
public final class LrRamp {

    /** How the LR grows from step to step. */
    public enum Kind {
        EXPONENTIAL,
        LINEAR;

        /** Parses {@code exponential} or {@code linear} (any case). */
        public static Kind parse(String name) {
            if (name != null) {
                for (Kind kind : values()) {
                    if (kind.name().equalsIgnoreCase(name.trim())) {
                        return kind;
                    }
                }
            }
            throw new IllegalArgumentException(
                    "ramp=" + name + ": must be exponential or linear");
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final double[] lrs;

    private LrRamp(Kind kind, double[] lrs) {
        this.kind = kind;
        this.lrs = lrs;
    }

    public static LrRamp exponential(double startLr, double endLr, int steps) {
        return of(Kind.EXPONENTIAL, startLr, endLr, steps);
    }

    public static LrRamp linear(double startLr, double endLr, int steps) {
        return of(Kind.LINEAR, startLr, endLr, steps);
    }

    /**
     * Builds the ramp; throws {@link IllegalArgumentException} naming the field and value when
     * the LRs are not finite and positive, {@code endLr <= startLr}, {@code steps < 2}, or the
     * range is so narrow that neighbouring steps would round to the same double.
     */
    public static LrRamp of(Kind kind, double startLr, double endLr, int steps) {
        check(startLr > 0 && Double.isFinite(startLr), "startLr", startLr, "a finite number > 0");
        check(endLr > 0 && Double.isFinite(endLr), "endLr", endLr, "a finite number > 0");
        check(endLr > startLr, "endLr", endLr, "greater than startLr=" + startLr);
        check(steps >= 2, "steps", steps, ">= 2 (a ramp needs a first and a last LR)");

        double[] lrs = new double[steps];
        int last = steps - 1;
        double logRatio = Math.log(endLr / startLr);
        for (int i = 0; i < steps; i++) {
            double fraction = (double) i / last;
            lrs[i] = kind == Kind.EXPONENTIAL
                    ? startLr * Math.exp(logRatio * fraction)
                    : startLr + (endLr - startLr) * fraction;
        }
        lrs[0] = startLr;
        lrs[last] = endLr;
        for (int i = 1; i < steps; i++) {
            check(lrs[i] > lrs[i - 1], "steps", steps,
                    "too many for the range " + startLr + ".." + endLr
                            + " (LRs of steps " + (i - 1) + " and " + i + " are equal)");
        }
        return new LrRamp(kind, lrs);
    }

    private static void check(boolean ok, String field, Object value, String expectation) {
        if (!ok) {
            throw new IllegalArgumentException(field + "=" + value + ": must be " + expectation);
        }
    }

    public Kind kind() {
        return kind;
    }

    public int steps() {
        return lrs.length;
    }

    /** The LR that optimizer step {@code step} (0-based) uses. */
    public double lrAt(int step) {
        return lrs[step];
    }

    public double[] values() {
        return lrs.clone();
    }
}
