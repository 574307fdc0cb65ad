package io.lrscope.agent.ramp;

/**
 * The LR of every step of a training with linear warmup then cosine decay, as torchtune's
 * {@code get_cosine_schedule_with_warmup} computes it, so a confirm run trains with the schedule
 * the user will paste: for step {@code s} of {@code n}, with {@code w} warmup steps,
 *
 * <pre>
 *   s &lt; w:  lr = peak · s / w
 *   s ≥ w:  lr = floor + (peak - floor) · ½ · (1 + cos(π · (s - w) / (n - w)))
 * </pre>
 *
 * <p>Step 0 therefore trains at LR 0 (its update changes nothing, as in torchtune), the peak is
 * reached at step {@code w}, not {@code w - 1}, and the last step sits just above the floor:
 * the cosine reaches the floor at step {@code n}, one past the end.
 */
public final class WarmupCosineSchedule {

    private final double peakLr;
    private final double floorLr;
    private final int steps;
    private final int warmupSteps;

    private WarmupCosineSchedule(double peakLr, double floorLr, int steps, int warmupSteps) {
        this.peakLr = peakLr;
        this.floorLr = floorLr;
        this.steps = steps;
        this.warmupSteps = warmupSteps;
    }

    /** Decays to 0. */
    public static WarmupCosineSchedule of(double peakLr, int steps, int warmupSteps) {
        return of(peakLr, 0.0, steps, warmupSteps);
    }

    /**
     * Throws {@link IllegalArgumentException} naming the field and value unless {@code peakLr}
     * is finite and positive, {@code 0 <= floorLr < peakLr}, {@code steps >= 2} and
     * {@code 0 <= warmupSteps < steps}.
     */
    public static WarmupCosineSchedule of(
            double peakLr, double floorLr, int steps, int warmupSteps) {
        check(peakLr > 0 && Double.isFinite(peakLr), "peakLr", peakLr, "a finite number > 0");
        check(floorLr >= 0 && floorLr < peakLr, "floorLr", floorLr,
                "in [0, peakLr=" + peakLr + ")");
        check(steps >= 2, "steps", steps, ">= 2");
        check(warmupSteps >= 0 && warmupSteps < steps, "warmupSteps", warmupSteps,
                "in [0, steps=" + steps + ")");
        return new WarmupCosineSchedule(peakLr, floorLr, steps, warmupSteps);
    }

    /**
     * Warmup steps for a fraction of the training, rounded, at least 1: the rule the analyzer's
     * torchtune YAML uses for {@code num_warmup_steps}.
     */
    public static int warmupSteps(int steps, double warmupFraction) {
        check(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction", warmupFraction,
                "in [0, 1)");
        return Math.max(1, (int) Math.round(steps * warmupFraction));
    }

    /** The LR that optimizer step {@code step} (0-based) uses. */
    public double lrAt(int step) {
        if (step < 0 || step >= steps) {
            throw new IndexOutOfBoundsException("step=" + step + ": must be in 0.." + (steps - 1));
        }
        if (step < warmupSteps) {
            return peakLr * step / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / (steps - warmupSteps);
        return floorLr + (peakLr - floorLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    public double peakLr() {
        return peakLr;
    }

    public double floorLr() {
        return floorLr;
    }

    public int steps() {
        return steps;
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    private static void check(boolean ok, String field, Object value, String expectation) {
        if (!ok) {
            throw new IllegalArgumentException(field + "=" + value + ": must be " + expectation);
        }
    }
}
