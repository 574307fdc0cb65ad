package io.lrscope.agent;

import io.lrscope.agent.data.Digits;
import io.lrscope.agent.model.BatchPlan;
import io.lrscope.agent.ramp.LrRamp;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Everything one agent needs to run one sweep, validated once before any event is sent.
 *
 * @param sweepId shared by all ranks of a sweep; the Kafka key of its events
 * @param rank this agent's rank, 0-based, below {@code dpDegree}
 * @param dpDegree data-parallel degree; each agent computes every rank's micro-batches itself
 *     (no gradient exchange yet), so all ranks hold DDP's weights at dpDegree times the compute
 * @param batchSize examples per micro-batch on this device
 * @param gradAccum micro-batches whose gradients are averaged into one optimizer step
 * @param optimizer sgd (with {@code momentum}), adam or adamw; PyTorch's update rules
 * @param momentum SGD momentum in [0, 1); ignored by adam and adamw
 * @param weightDecay L2 for sgd and adam, decoupled for adamw; 0 disables it
 * @param ramp exponential (default) or linear
 * @param steps optimizer steps; the LR goes from {@code startLr} at step 0 to {@code endLr} at
 *     step {@code steps - 1}
 * @param model {@code digits-mlp} (MLP 64-64-10 on the bundled 8×8 digits)
 * @param label free text shown with the sweep; may be empty
 */
public record SweepSettings(
        String sweepId,
        int rank,
        int dpDegree,
        int batchSize,
        int gradAccum,
        String optimizer,
        double momentum,
        double weightDecay,
        String ramp,
        double startLr,
        double endLr,
        int steps,
        long seed,
        String model,
        String label) {

    public static final String DIGITS_MLP = "digits-mlp";
    public static final Set<String> OPTIMIZERS = Set.of("sgd", "adam", "adamw");
    /** Every rank computes all ranks' micro-batches, so keep the product small. */
    public static final int MAX_DP_DEGREE = 64;

    /** digits-mlp, SGD momentum 0.9, batch 32, 1e-7 → 1 exponentially over 100 steps, seed 42. */
    public static SweepSettings defaults() {
        return new SweepSettings(newSweepId(), 0, 1, 32, 1, "sgd", 0.9, 0.0, "exponential",
                1e-7, 1.0, 100, 42L, DIGITS_MLP, "");
    }

    /** A short random id, e.g. {@code 3f9c21ab}. */
    public static String newSweepId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Per-device batch × data-parallel degree × accumulation: the batch the LR belongs to. */
    public long effectiveBatch() {
        return (long) batchSize * dpDegree * gradAccum;
    }

    /**
     * Throws {@link IllegalArgumentException} with one line, {@code field=value: expectation},
     * for the first bad setting.
     */
    public void validate() {
        require(sweepId != null && !sweepId.isBlank() && sweepId.length() <= 128
                && sweepId.chars().noneMatch(Character::isISOControl),
                "sweepId", sweepId, "1-128 printable characters");
        require(dpDegree >= 1 && dpDegree <= MAX_DP_DEGREE, "dpDegree", dpDegree,
                "in 1.." + MAX_DP_DEGREE);
        require(rank >= 0 && rank < dpDegree, "rank", rank, "in 0.." + (dpDegree - 1));
        require(batchSize > 0, "batchSize", batchSize, "> 0");
        require(gradAccum > 0, "gradAccum", gradAccum, "> 0");
        require(optimizer != null && OPTIMIZERS.contains(optimizer.toLowerCase(Locale.ROOT)),
                "optimizer", optimizer, "sgd, adam or adamw");
        require(momentum >= 0 && momentum < 1, "momentum", momentum, "in [0, 1)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "weightDecay", weightDecay, "a finite number >= 0");
        LrRamp.Kind.parse(ramp);
        require(startLr > 0 && Double.isFinite(startLr), "startLr", startLr,
                "a finite number > 0");
        require(endLr > 0 && Double.isFinite(endLr), "endLr", endLr, "a finite number > 0");
        require(endLr > startLr, "endLr", endLr, "greater than startLr=" + startLr);
        require(steps >= 2, "steps", steps, ">= 2");
        require(DIGITS_MLP.equals(model), "model", model, DIGITS_MLP);
        int examples = Digits.split().train().size();
        require(effectiveBatch() <= examples, "batchSize", batchSize,
                "such that batchSize×dpDegree×gradAccum <= " + examples
                        + " training examples (dpDegree=" + dpDegree + ", gradAccum="
                        + gradAccum + ")");
        require(label == null || label.length() <= 1024, "label",
                label == null || label.length() <= 40 ? label : label.substring(0, 40) + "...",
                "at most 1024 characters");
        LrRamp.of(LrRamp.Kind.parse(ramp), startLr, endLr, steps);
    }

    /** The ramp these settings describe; call after {@link #validate()}. */
    public LrRamp lrRamp() {
        return LrRamp.of(LrRamp.Kind.parse(ramp), startLr, endLr, steps);
    }

    public SweepSettings withSweepId(String id) {
        return new SweepSettings(id, rank, dpDegree, batchSize, gradAccum, optimizer, momentum,
                weightDecay, ramp, startLr, endLr, steps, seed, model, label);
    }

    public SweepSettings withOptimizer(String name, double newMomentum, double newWeightDecay) {
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, name,
                newMomentum, newWeightDecay, ramp, startLr, endLr, steps, seed, model, label);
    }

    public SweepSettings withRank(int newRank, int newDpDegree) {
        return new SweepSettings(sweepId, newRank, newDpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, steps, seed, model, label);
    }

    /** The division of each step's examples over ranks and micro-batches. */
    public BatchPlan batchPlan() {
        return new BatchPlan(batchSize, dpDegree, rank, gradAccum);
    }

    public SweepSettings withBatch(int newBatchSize, int newGradAccum) {
        return new SweepSettings(sweepId, rank, dpDegree, newBatchSize, newGradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, steps, seed, model, label);
    }

    public SweepSettings withRamp(String kind, double newStartLr, double newEndLr, int newSteps) {
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, kind, newStartLr, newEndLr, newSteps, seed, model, label);
    }

    private static void require(boolean ok, String field, Object value, String expectation) {
        if (!ok) {
            String shown = value instanceof String s
                    ? s.replaceAll("\\p{Cntrl}", "?") : String.valueOf(value);
            throw new IllegalArgumentException(field + "=" + shown + ": must be " + expectation);
        }
    }
}
