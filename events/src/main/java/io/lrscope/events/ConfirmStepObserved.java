package io.lrscope.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One optimizer step of a confirm run: {@code lr} is the LR the update used (0 at the first
 * warmup step), {@code trainLoss} the batch loss taken before it. {@code validationLoss} and
 * {@code validationAccuracy} are measured after the update on some steps only (at intervals and
 * on the last step) and absent on the others. A non-finite loss is valid: it shows divergence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfirmStepObserved(
        int schemaVersion,
        String sweepId,
        String runId,
        long step,
        double lr,
        double trainLoss,
        Double validationLoss,
        Double validationAccuracy,
        long wallMillis)
        implements ConfirmEvent {

    public static ConfirmStepObserved of(String sweepId, String runId, long step, double lr,
            double trainLoss, Double validationLoss, Double validationAccuracy, long wallMillis) {
        return new ConfirmStepObserved(SchemaVersion.CURRENT, sweepId, runId, step, lr, trainLoss,
                validationLoss, validationAccuracy, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.id("runId", runId);
        Checks.nonNegative("step", step);
        Checks.nonNegativeFinite("lr", lr);
        if (validationAccuracy != null) {
            Checks.fraction("validationAccuracy", validationAccuracy);
        }
    }
}
