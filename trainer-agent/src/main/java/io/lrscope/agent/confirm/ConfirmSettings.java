package io.lrscope.agent.confirm;

import io.lrscope.agent.ramp.WarmupCosineSchedule;
import java.util.List;
import java.util.Locale;

/**
 * How a sweep's pick is confirmed: one short training per factor, each at {@code pick × factor}
 * as its peak LR, all with the same budget, schedule, seed and batch as each other.
 *
 * <p>Warmup is 5 % of the steps by default, the low end of the usual 5–10 % and the fraction the
 * analyzer's torchtune YAML writes, so the runs train with the schedule the user will paste.
 * The default 300 steps are about 7 epochs of the digits at batch 32: one epoch (44 steps)
 * leaves the runs too unfinished for their validation losses to say which LR is better.
 *
 * @param factors multiples of the pick, each > 0; default 0.3, 1, 3
 * @param steps optimizer steps of every run; default {@value #DEFAULT_STEPS}
 * @param warmupFraction share of {@code steps} spent warming up, in [0.05, 0.10]; default 0.05
 * @param floorLr where the cosine ends, below every peak; default 0
 * @param validateEvery measure validation loss every this many steps (and on the last one);
 *     0 picks {@code steps / 20}
 */
public record ConfirmSettings(
        List<Double> factors, int steps, double warmupFraction, double floorLr,
        int validateEvery) {

    public static final List<Double> DEFAULT_FACTORS = List.of(0.3, 1.0, 3.0);
    public static final int DEFAULT_STEPS = 300;
    public static final double DEFAULT_WARMUP_FRACTION = 0.05;
    /** A confirmation is a handful of runs, not a grid search. */
    public static final int MAX_FACTORS = 16;

    public ConfirmSettings {
        factors = factors == null ? null : List.copyOf(factors);
    }

    public static ConfirmSettings defaults() {
        return new ConfirmSettings(DEFAULT_FACTORS, DEFAULT_STEPS, DEFAULT_WARMUP_FRACTION, 0, 0);
    }

    public ConfirmSettings withSteps(int newSteps) {
        return new ConfirmSettings(factors, newSteps, warmupFraction, floorLr, validateEvery);
    }

    public ConfirmSettings withFactors(List<Double> newFactors) {
        return new ConfirmSettings(newFactors, steps, warmupFraction, floorLr, validateEvery);
    }

    /** Throws {@link IllegalArgumentException}: {@code field=value: expectation}. */
    public void validate() {
        require(factors != null && !factors.isEmpty() && factors.size() <= MAX_FACTORS,
                "factors", factors, "1 to " + MAX_FACTORS + " multiples of the pick");
        for (Double factor : factors) {
            require(factor != null && factor > 0 && Double.isFinite(factor), "factors", factors,
                    "finite numbers > 0");
        }
        require(factors.stream().distinct().count() == factors.size(), "factors", factors,
                "distinct");
        require(steps >= 10, "steps", steps, ">= 10");
        require(warmupFraction >= 0.05 && warmupFraction <= 0.10, "warmupFraction",
                warmupFraction, "in [0.05, 0.10]");
        require(floorLr >= 0 && Double.isFinite(floorLr), "floorLr", floorLr,
                "a finite number >= 0");
        require(validateEvery >= 0 && validateEvery <= steps, "validateEvery", validateEvery,
                "in 0.." + steps + " (0: every steps/20)");
    }

    public int warmupSteps() {
        return WarmupCosineSchedule.warmupSteps(steps, warmupFraction);
    }

    /** Steps between validation measurements. */
    public int validationInterval() {
        return validateEvery > 0 ? validateEvery : Math.max(1, steps / 20);
    }

    /** The run id of a factor: {@code x0.3}, {@code x1}, {@code x3}. */
    public static String runId(double factor) {
        String text = String.format(Locale.ROOT, "%.4g", factor);
        if (text.contains(".") && !text.contains("e")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return "x" + text;
    }

    private static void require(boolean ok, String field, Object value, String expectation) {
        if (!ok) {
            throw new IllegalArgumentException(field + "=" + value + ": must be " + expectation);
        }
    }
}
