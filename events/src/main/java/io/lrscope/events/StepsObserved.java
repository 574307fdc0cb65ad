package io.lrscope.events;

import java.util.List;

/**
 * Several optimizer steps of one rank in one record, for agents whose steps come faster than a
 * record per step is worth (a record carries fixed costs on every hop: broker, analyzer store,
 * changelog). Each entry means exactly what a {@link StepObserved} with the same rank would, and
 * readers take the entries in list order, as if they had arrived one by one. Optional: agents
 * may keep sending StepObserved, and both may share a sweep.
 *
 * @param steps one or more steps, at most {@value #MAX_STEPS}
 */
public record StepsObserved(
        int schemaVersion, String sweepId, int rank, List<Step> steps, long wallMillis)
        implements SweepEvent {

    /** Upper bound on steps per record; keeps one record well under the broker's size limit. */
    public static final int MAX_STEPS = 10_000;

    /** One step: the LR its update used and the loss taken before the update (may be NaN). */
    public record Step(long step, double lr, double loss) {}

    public StepsObserved {
        steps = steps == null ? null : List.copyOf(steps);
    }

    public static StepsObserved of(String sweepId, int rank, List<Step> steps, long wallMillis) {
        return new StepsObserved(SchemaVersion.CURRENT, sweepId, rank, steps, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.nonNegative("rank", rank);
        if (steps == null || steps.isEmpty()) {
            throw InvalidEventException.field("steps", steps == null ? null : "[]",
                    "required, at least one step");
        }
        if (steps.size() > MAX_STEPS) {
            throw InvalidEventException.field("steps", steps.size() + " entries",
                    "at most " + MAX_STEPS + " per record");
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step == null) {
                throw InvalidEventException.field("steps[" + i + "]", null, "required");
            }
            Checks.nonNegative("steps[" + i + "].step", step.step());
            Checks.positiveFinite("steps[" + i + "].lr", step.lr());
        }
    }
}
