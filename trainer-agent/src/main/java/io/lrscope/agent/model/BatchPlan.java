package io.lrscope.agent.model;

/**
 * How one optimizer step's examples are divided: {@code dpDegree} data-parallel ranks each
 * process {@code gradAccum} micro-batches of {@code batchSize} examples, and the step's gradient
 * is the mean over all {@code dpDegree·gradAccum} of them, as DDP with accumulation computes it.
 * {@code rank} says whose loss this agent reports: the mean of that rank's micro-batch losses.
 */
public record BatchPlan(int batchSize, int dpDegree, int rank, int gradAccum) {

    public BatchPlan {
        if (batchSize <= 0 || dpDegree <= 0 || gradAccum <= 0 || rank < 0 || rank >= dpDegree) {
            throw new IllegalArgumentException("batch plan batchSize=" + batchSize + " dpDegree="
                    + dpDegree + " rank=" + rank + " gradAccum=" + gradAccum
                    + ": must be positive with 0 <= rank < dpDegree");
        }
    }

    /** One rank, no data parallelism. */
    public static BatchPlan single(int batchSize, int gradAccum) {
        return new BatchPlan(batchSize, 1, 0, gradAccum);
    }

    /** Micro-batches behind one optimizer step, over all ranks. */
    public int microBatchesPerStep() {
        return dpDegree * gradAccum;
    }

    /** Examples behind one optimizer step: the effective batch. */
    public int examplesPerStep() {
        return batchSize * dpDegree * gradAccum;
    }
}
