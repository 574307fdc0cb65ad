package io.lrscope.events;

/** A sweep began; sent once per rank before its first step. */
public record SweepStarted(
        int schemaVersion, String sweepId, int rank, SweepConfig config, long wallMillis)
        implements SweepEvent {

    public static SweepStarted of(String sweepId, int rank, SweepConfig config, long wallMillis) {
        return new SweepStarted(SchemaVersion.CURRENT, sweepId, rank, config, wallMillis);
    }

    @Override
    public void validate() {
        Checks.schema(schemaVersion);
        Checks.id("sweepId", sweepId);
        Checks.nonNegative("rank", rank);
        if (config == null) {
            throw InvalidEventException.field("config", null, "required");
        }
        config.validate();
        if (rank >= config.dpDegree()) {
            throw InvalidEventException.field(
                    "rank", rank, "must be below config.dpDegree=" + config.dpDegree());
        }
    }
}
