package io.lrscope.agent.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.lrscope.agent.data.Digits;
import io.lrscope.agent.data.Examples;
import io.lrscope.agent.optim.Optimizer;
import java.util.SplittableRandom;

/**
 * One training from fresh seeded weights and fresh optimizer state: a model, an optimizer and
 * the order in which it sees the training examples, all owned by one NDManager that
 * {@link #close()} frees. Sweeps and fixed-LR runs each open their own session, so nothing of
 * one can leak into the next (field case 03).
 *
 * <p>An optimizer step averages the gradients of the {@link BatchPlan}'s micro-batches (each
 * backward pass is scaled by {@code 1/(dpDegree·gradAccum)}), which makes it the same update as
 * one batch of the effective size. With {@code dpDegree > 1} this process computes every rank's
 * micro-batches itself instead of exchanging gradients, so all ranks hold the same weights, as
 * under DDP, at {@code dpDegree} times the compute; it reports its own rank's loss. Each epoch is
 * a fresh seeded shuffle cut into whole optimizer steps; the rows left over are skipped.
 */
public final class TrainingSession implements AutoCloseable {

    private final NDManager manager;
    private final Mlp model;
    private final Optimizer optimizer;
    private final Examples train;
    private final BatchPlan plan;
    private final int classes;
    private final int stepsPerEpoch;
    private final SplittableRandom shuffle;
    private final boolean shuffled;
    private NDArray onesForBackward;
    private final NDArray minusInverseBatch;
    private final NDArray inverseMicroBatches;
    private NDList epochFeatures;
    private NDList epochTargets;
    private int stepInEpoch;
    private long steps;

    private TrainingSession(NDManager manager, Mlp model, Optimizer optimizer, Examples train,
            BatchPlan plan, long seed, boolean shuffled, int classes) {
        this.manager = manager;
        this.classes = classes;
        this.shuffled = shuffled;
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.plan = plan;
        this.stepsPerEpoch = train.size() / plan.examplesPerStep();
        this.shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.minusInverseBatch = manager.create(-1f / plan.batchSize());
        this.inverseMicroBatches = manager.create(1f / plan.microBatchesPerStep());
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("batchSize×dpDegree×gradAccum="
                    + plan.examplesPerStep() + ": must be at most the " + train.size()
                    + " training examples");
        }
    }

    /** A single-rank session on the digits training split with the MLP 64-64-10. */
    public static TrainingSession digits(String optimizer, double momentum, double weightDecay,
            int batchSize, int gradAccum, long seed) {
        return digits(optimizer, momentum, weightDecay, BatchPlan.single(batchSize, gradAccum),
                seed);
    }

    /** A session on the digits training split with the MLP 64-64-10. */
    public static TrainingSession digits(String optimizer, double momentum, double weightDecay,
            BatchPlan plan, long seed) {
        return open(Digits.split().train(), Digits.CLASSES, 64, optimizer, momentum, weightDecay,
                plan, seed, true);
    }

    /**
     * A session on any table of examples; the model is an MLP with {@code hidden} units. With
     * {@code shuffled} false every epoch walks the examples in table order, which lets a
     * side-by-side check feed exactly the batches a reference PyTorch loop saw.
     */
    public static TrainingSession open(Examples train, int classes, int hidden, String optimizer,
            double momentum, double weightDecay, BatchPlan plan, long seed, boolean shuffled) {
        DjlRuntime.configure();
        NDManager manager = NDManager.newBaseManager();
        try {
            Mlp model = Mlp.create(manager, train.width(), hidden, classes, seed);
            Optimizer rule = Optimizer.create(
                    optimizer, momentum, weightDecay, model.parameters(), manager);
            return new TrainingSession(
                    manager, model, rule, train, plan, seed, shuffled, classes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Mlp model() {
        return model;
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return steps;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * One optimizer step at {@code lr}; returns the mean loss of this rank's micro-batches, each
     * taken before the update (NaN or infinite when training has diverged).
     */
    public double step(double lr) {
        if (epochFeatures == null || stepInEpoch == stepsPerEpoch) {
            startEpoch();
        }
        double lossSum = 0;
        // Forward results live in the manager of their input: lend the batch to a per-step scope.
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            int first = stepInEpoch * plan.microBatchesPerStep();
            for (int rank = 0; rank < plan.dpDegree(); rank++) {
                for (int micro = 0; micro < plan.gradAccum(); micro++) {
                    int batch = first + rank * plan.gradAccum() + micro;
                    NDArray x = epochFeatures.get(batch);
                    NDArray targets = epochTargets.get(batch);
                    x.tempAttach(scope);
                    targets.tempAttach(scope);
                    NDArray loss = model.loss(x, targets, minusInverseBatch);
                    if (rank == plan.rank()) {
                        lossSum += loss.toFloatArray()[0]; // getFloat() would index and clone
                    }
                    backward(plan.microBatchesPerStep() == 1
                            ? loss : loss.mul(inverseMicroBatches));
                }
            }
        }
        optimizer.step(lr);
        stepInEpoch++;
        steps++;
        return lossSum / plan.gradAccum();
    }

    /**
     * What {@code GradientCollector.backward} does, minus a new ones-tensor on every call; the
     * collector stays open around it for PyTorch's grad mode.
     */
    private void backward(NDArray scalarLoss) {
        if (onesForBackward == null) {
            onesForBackward = manager.ones(scalarLoss.getShape(), scalarLoss.getDataType());
        }
        JniUtils.backward((PtNDArray) scalarLoss, (PtNDArray) onesForBackward, false, false);
    }

    /** Native arrays this session holds right now; constant from step to step unless leaking. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** Fraction of {@code examples} whose highest logit is the right class. */
    public double accuracy(Examples examples) {
        return DjlRuntime.withoutGrad(() -> countCorrect(examples)) / examples.size();
    }

    private double countCorrect(Examples examples) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(examples.features(), new Shape(examples.size(),
                    examples.width()));
            NDArray predicted = model.logits(x).argMax(1);
            NDArray labels = scope.create(asLongs(examples.labels()));
            long correct = predicted.eq(labels).sum().toType(DataType.INT64, false).getLong();
            return (double) correct;
        }
    }

    /**
     * Copies this epoch's examples into one array and cuts it into the micro-batches, each a view,
     * so that a step does no indexing or copying of its own.
     */
    private void startEpoch() {
        closeEpoch();
        Examples epoch = shuffled
                ? train.select(Digits.permutation(train.size(), shuffle))
                : train;
        int batches = stepsPerEpoch * plan.microBatchesPerStep();
        epoch = epoch.slice(0, batches * plan.batchSize());
        NDArray features = manager.create(
                epoch.features(), new Shape(epoch.size(), epoch.width()));
        NDArray targets = manager.create(oneHot(epoch.labels(), classes),
                new Shape(epoch.size(), classes));
        epochFeatures = features.split(batches);
        epochTargets = targets.split(batches);
        epochFeatures.add(features);
        epochTargets.add(targets);
        stepInEpoch = 0;
    }

    private void closeEpoch() {
        if (epochFeatures != null) {
            epochFeatures.close();
            epochTargets.close();
        }
    }

    private static float[] oneHot(int[] labels, int classes) {
        float[] rows = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            rows[i * classes + labels[i]] = 1f;
        }
        return rows;
    }

    private static long[] asLongs(int[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }

    @Override
    public void close() {
        manager.close();
    }
}
