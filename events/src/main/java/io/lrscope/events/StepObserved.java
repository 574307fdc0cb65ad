package io.lrscope.events;

/**
 * One optimizer step of one rank: {@code lr} is the LR that step's update used and {@code loss}
 * the mean loss of the micro-batches that produced its gradient, taken before the update. A NaN
 * or infinite loss is valid (it is how divergence shows); a non-positive or NaN lr is not.
 */
public record StepObserved(
        int schemaVersion,
        String sweepId,
        int rank,
        long step,
        double lr,
        double loss,
        long wallMillis)
        implements SweepEvent {

    public static StepObserved of(
            String sweepId, int rank, long step, double lr, double loss, long wallMillis) {
        return new StepObserved(SchemaVersion.CURRENT, sweepId, rank, step, lr, loss, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.nonNegative("rank", rank);
        Checks.nonNegative("step", step);
        Checks.positiveFinite("lr", lr);
    }
}
