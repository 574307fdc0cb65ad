package io.lrscope.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A confirm run finished. Runs are ranked by {@code finalValidationLoss}, measured after the
 * last step; a run that diverged or failed has none and ranks last.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfirmEnded(
        int schemaVersion,
        String sweepId,
        String runId,
        Outcome outcome,
        String reason,
        long lastStep,
        Double finalValidationLoss,
        Double validationAccuracy,
        long wallMillis)
        implements ConfirmEvent {

    /** How a confirm run ended. */
    public enum Outcome {
        @JsonProperty("completed")
        COMPLETED,
        @JsonProperty("diverged")
        DIVERGED,
        @JsonProperty("stopped")
        STOPPED,
        @JsonProperty("failed")
        FAILED
    }

    public static ConfirmEnded of(String sweepId, String runId, Outcome outcome, String reason,
            long lastStep, Double finalValidationLoss, Double validationAccuracy,
            long wallMillis) {
        return new ConfirmEnded(SchemaVersion.CURRENT, sweepId, runId, outcome, reason, lastStep,
                finalValidationLoss, validationAccuracy, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.id("runId", runId);
        if (outcome == null) {
            throw InvalidEventException.field(
                    "outcome", null, "required: completed|diverged|stopped|failed");
        }
        Checks.text("reason", reason);
        if (outcome == Outcome.COMPLETED && finalValidationLoss == null) {
            throw InvalidEventException.field("finalValidationLoss", null,
                    "required when outcome=completed");
        }
        if (finalValidationLoss != null && !(finalValidationLoss >= 0)) {
            throw InvalidEventException.field("finalValidationLoss", finalValidationLoss,
                    "must be a number >= 0 (leave it out when the run diverged)");
        }
        if (validationAccuracy != null) {
            Checks.fraction("validationAccuracy", validationAccuracy);
        }
    }
}
