package io.lrscope.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A rank finished its sweep, and why; the analyzer's recommendation turns final on it. */
public record SweepEnded(
        int schemaVersion,
        String sweepId,
        int rank,
        Outcome outcome,
        String reason,
        long lastStep,
        long wallMillis)
        implements SweepEvent {

    /** How a sweep ended. */
    public enum Outcome {
        @JsonProperty("completed")
        COMPLETED,
        @JsonProperty("stopped")
        STOPPED,
        @JsonProperty("failed")
        FAILED
    }

    public static SweepEnded of(
            String sweepId,
            int rank,
            Outcome outcome,
            String reason,
            long lastStep,
            long wallMillis) {
        return new SweepEnded(
                SchemaVersion.CURRENT, sweepId, rank, outcome, reason, lastStep, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.nonNegative("rank", rank);
        if (outcome == null) {
            throw InvalidEventException.field(
                    "outcome", null, "required: completed|stopped|failed");
        }
        Checks.text("reason", reason);
    }
}
