package io.lrscope.events;

/**
 * How a sweep was run: everything a reader needs to reproduce it or to carry its LR elsewhere.
 *
 * <p>{@code batchSize} is per device and per micro-batch; the effective batch that the LR belongs
 * to is {@code batchSize × dpDegree × gradAccum} (see {@link #effectiveBatch()}).
 *
 * @param model model name; its family selects a community default LR when known
 * @param dataset data set name or file
 * @param optimizer sgd, adam or adamw
 * @param ramp exponential or linear
 * @param steps planned optimizer steps (the burn-in is 10 % of these)
 * @param label free text a person gave the sweep; shown escaped on the page
 */
public record SweepConfig(
        String model,
        String dataset,
        String optimizer,
        int batchSize,
        int dpDegree,
        int gradAccum,
        String ramp,
        double startLr,
        double endLr,
        int steps,
        long seed,
        String host,
        String label) {

    public long effectiveBatch() {
        return (long) batchSize * dpDegree * gradAccum;
    }

    void validate() {
        Checks.text("config.model", model);
        Checks.text("config.dataset", dataset);
        Checks.text("config.optimizer", optimizer);
        Checks.text("config.ramp", ramp);
        Checks.text("config.host", host);
        Checks.text("config.label", label);
        Checks.positive("config.batchSize", batchSize);
        Checks.positive("config.dpDegree", dpDegree);
        Checks.positive("config.gradAccum", gradAccum);
        Checks.positiveFinite("config.startLr", startLr);
        Checks.positiveFinite("config.endLr", endLr);
        if (endLr <= startLr) {
            throw InvalidEventException.field(
                    "config.endLr", endLr, "must be greater than config.startLr=" + startLr);
        }
        Checks.positive("config.steps", steps);
    }
}
