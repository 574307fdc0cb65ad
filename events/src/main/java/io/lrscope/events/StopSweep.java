package io.lrscope.events;

/**
 * A request on the control topic that every agent of {@code sweepId} stop after its current
 * step. Sent by the analyzer on divergence (once per sweep) and by a person from the page.
 */
public record StopSweep(
        int schemaVersion, String sweepId, String reason, Long atStep, long wallMillis) {

    public static StopSweep of(String sweepId, String reason, Long atStep, long wallMillis) {
        return new StopSweep(SchemaVersion.CURRENT, sweepId, reason, atStep, wallMillis);
    }

    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.text("reason", reason);
    }
}
