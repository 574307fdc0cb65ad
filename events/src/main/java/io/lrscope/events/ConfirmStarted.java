package io.lrscope.events;

/**
 * A confirm run began: {@code steps} optimizer steps from fresh seeded weights, the LR rising
 * linearly from 0 to {@code peakLr} over {@code warmupSteps}, then falling on a cosine.
 *
 * @param baseLr the sweep's pick this run multiplies
 * @param factor {@code peakLr / baseLr}, e.g. 0.3, 1 or 3
 * @param runs how many confirm runs this confirmation has in all, so a reader knows when the
 *     last one ended
 */
public record ConfirmStarted(
        int schemaVersion,
        String sweepId,
        String runId,
        int runs,
        double baseLr,
        double factor,
        double peakLr,
        int steps,
        int warmupSteps,
        long wallMillis)
        implements ConfirmEvent {

    public static ConfirmStarted of(String sweepId, String runId, int runs, double baseLr,
            double factor, double peakLr, int steps, int warmupSteps, long wallMillis) {
        return new ConfirmStarted(SchemaVersion.CURRENT, sweepId, runId, runs, baseLr, factor,
                peakLr, steps, warmupSteps, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.id("runId", runId);
        Checks.positive("runs", runs);
        Checks.positiveFinite("baseLr", baseLr);
        Checks.positiveFinite("factor", factor);
        Checks.positiveFinite("peakLr", peakLr);
        Checks.positive("steps", steps);
        Checks.nonNegative("warmupSteps", warmupSteps);
        if (warmupSteps >= steps) {
            throw InvalidEventException.field(
                    "warmupSteps", warmupSteps, "must be below steps=" + steps);
        }
    }
}
