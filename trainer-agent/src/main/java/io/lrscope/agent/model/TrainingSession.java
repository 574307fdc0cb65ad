package io.lrscope.agent.model;

import ai.djl.Device;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One training from fresh seeded weights and fresh optimizer state: a {@link Task}'s network,
 * an optimizer and the order in which it sees the training rows, all owned by managers that
 * {@link #close()} frees. Sweeps and fixed-LR runs each open their own session, so nothing of
 * one can leak into the next (field case 03).
 *
 * <p>An optimizer step averages the gradients of the {@link BatchPlan}'s micro-batches (each
 * backward pass is scaled by {@code 1/(dpDegree·gradAccum·devices)}), which makes it the same
 * update as one batch of the effective size. With {@code dpDegree > 1} this process computes
 * every rank's micro-batches itself instead of exchanging gradients, so all ranks hold the same
 * weights, as under DDP, at {@code dpDegree} times the compute; it reports its own rank's loss.
 *
 * <p>With several devices, each holds a replica of the network and takes its own
 * {@code batchSize} rows of every micro-batch; their gradients are summed on the first device,
 * the optimizer updates the first replica and the new weights are copied to the others. Each
 * epoch is a fresh seeded shuffle cut into whole optimizer steps; the rows left over are
 * skipped.
 */
public final class TrainingSession implements AutoCloseable {

    /** Validation is computed in chunks of at most this many rows. */
    private static final int VALIDATION_CHUNK = 256;

    private final NDManager manager;
    private final Task task;
    private final List<Replica> replicas;
    private final Optimizer optimizer;
    private final BatchPlan plan;
    private final Objective objective;
    private final int stepsPerEpoch;
    private final SplittableRandom shuffle;
    private final boolean shuffled;
    private final NDArray inverseChunks;
    private NDList epochInputs;
    private NDList epochTargets;
    private int stepInEpoch;
    private long steps;

    /** One device's copy of the network and its own backward seed. */
    private record Replica(Device device, NDManager manager, Network network, NDArray ones) {}

    private TrainingSession(NDManager manager, Task task, List<Replica> replicas,
            Optimizer optimizer, BatchPlan plan, long seed, boolean shuffled) {
        this.manager = manager;
        this.task = task;
        this.replicas = replicas;
        this.optimizer = optimizer;
        this.plan = plan;
        this.shuffled = shuffled;
        this.objective = new Objective(task.objective(), manager, plan.batchSize());
        this.stepsPerEpoch = task.trainingRows() / (plan.examplesPerStep() * replicas.size());
        this.shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.inverseChunks = manager.create(
                1f / (plan.microBatchesPerStep() * replicas.size()));
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("batchSize×devices×dpDegree×gradAccum="
                    + plan.examplesPerStep() * replicas.size() + ": must be at most the "
                    + task.trainingRows() + " training rows");
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
        return open(digitsTask(), optimizer, momentum, weightDecay, plan, seed, true,
                List.of());
    }

    /** The bundled digits with the MLP 64-64-10, validated on the fixed 20 % split. */
    public static TableTask digitsTask() {
        Digits.Split split = Digits.split();
        return TableTask.classification("digits-mlp", Digits.NAME, split.train(),
                split.validation(), Digits.CLASSES, 64);
    }

    /**
     * A session on any table of examples; the model is an MLP with {@code hidden} units. With
     * {@code shuffled} false every epoch walks the examples in table order, which lets a
     * side-by-side check feed exactly the batches a reference PyTorch loop saw.
     */
    public static TrainingSession open(Examples train, int classes, int hidden, String optimizer,
            double momentum, double weightDecay, BatchPlan plan, long seed, boolean shuffled) {
        TableTask task = TableTask.classification("mlp", "examples", train,
                train.slice(0, 1), classes, hidden);
        return open(task, optimizer, momentum, weightDecay, plan, seed, shuffled, List.of());
    }

    /**
     * A session on {@code task}; {@code devices} empty means the engine's default device. With
     * {@code shuffled} false every epoch walks the rows in order.
     */
    public static TrainingSession open(Task task, String optimizer, double momentum,
            double weightDecay, BatchPlan plan, long seed, boolean shuffled,
            List<Device> devices) {
        DjlRuntime.configure();
        List<Device> on = devices.isEmpty()
                ? List.of(Engine.getInstance().defaultDevice())
                : devices;
        NDManager manager = NDManager.newBaseManager(on.get(0));
        try {
            List<Replica> replicas = new ArrayList<>();
            for (Device device : on) {
                NDManager owner = replicas.isEmpty()
                        ? manager
                        : manager.newSubManager(device);
                replicas.add(new Replica(device, owner, task.newNetwork(owner, seed),
                        owner.ones(new Shape())));
            }
            Optimizer rule = Optimizer.create(optimizer, momentum, weightDecay,
                    replicas.get(0).network().parameters(), manager);
            return new TrainingSession(manager, task, replicas, rule, plan, seed, shuffled);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Task task() {
        return task;
    }

    /** The network being trained (on the first device). */
    public Network network() {
        return replicas.get(0).network();
    }

    /** The MLP of a table task; throws for other networks. */
    public Mlp model() {
        if (network() instanceof Mlp mlp) {
            return mlp;
        }
        throw new IllegalStateException("model " + task.model() + " is not an MLP");
    }

    /** The devices holding a replica, the first one updating. */
    public List<Device> devices() {
        return replicas.stream().map(Replica::device).toList();
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
        if (epochInputs == null || stepInEpoch == stepsPerEpoch) {
            startEpoch();
        }
        int devices = replicas.size();
        double lossSum = 0;
        // Forward results live in the manager of their input: lend the batch to a per-step scope.
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            int first = stepInEpoch * plan.microBatchesPerStep() * devices;
            for (int rank = 0; rank < plan.dpDegree(); rank++) {
                for (int micro = 0; micro < plan.gradAccum(); micro++) {
                    for (int d = 0; d < devices; d++) {
                        int chunk = first + (rank * plan.gradAccum() + micro) * devices + d;
                        Replica replica = replicas.get(d);
                        NDArray x = onDevice(epochInputs.get(chunk), replica, scope);
                        NDArray targets = onDevice(epochTargets.get(chunk), replica, scope);
                        NDArray loss = objective.loss(replica.network().forward(x), targets);
                        if (rank == plan.rank()) {
                            lossSum += loss.toFloatArray()[0]; // getFloat() would index, clone
                        }
                        if (plan.microBatchesPerStep() * devices > 1) {
                            loss = loss.mul(inverseChunks.toDevice(replica.device(), false));
                        }
                        JniUtils.backward((PtNDArray) loss, (PtNDArray) replica.ones(), false,
                                false);
                    }
                }
            }
        }
        if (devices > 1) {
            gatherGradients();
        }
        optimizer.step(lr);
        if (devices > 1) {
            broadcastWeights();
        }
        stepInEpoch++;
        steps++;
        return lossSum / (plan.gradAccum() * devices);
    }

    private static NDArray onDevice(NDArray array, Replica replica, NDManager scope) {
        if (array.getDevice().equals(replica.device())) {
            array.tempAttach(scope);
            return array;
        }
        NDArray copy = array.toDevice(replica.device(), true);
        copy.attach(scope);
        return copy;
    }

    /** Sums every replica's gradients into the first replica's, then zeroes theirs. */
    private void gatherGradients() {
        DjlRuntime.withoutGrad(() -> {
            List<NDArray> target = replicas.get(0).network().parameters();
            for (int d = 1; d < replicas.size(); d++) {
                List<NDArray> source = replicas.get(d).network().parameters();
                for (int i = 0; i < target.size(); i++) {
                    try (NDArray sum = target.get(i).getGradient();
                            NDArray part = source.get(i).getGradient();
                            NDArray moved = part.toDevice(sum.getDevice(), true)) {
                        sum.addi(moved);
                    }
                    JniUtils.zeroGrad((PtNDArray) source.get(i));
                }
            }
        });
    }

    /** Copies the updated weights of the first replica to every other. */
    private void broadcastWeights() {
        DjlRuntime.withoutGrad(() -> {
            List<NDArray> updated = replicas.get(0).network().parameters();
            for (int d = 1; d < replicas.size(); d++) {
                List<NDArray> stale = replicas.get(d).network().parameters();
                for (int i = 0; i < updated.size(); i++) {
                    try (NDArray moved = updated.get(i).toDevice(replicas.get(d).device(),
                            true)) {
                        stale.get(i).set(moved.toByteBuffer());
                    }
                }
            }
        });
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
            NDArray predicted = network().forward(x).argMax(1);
            NDArray labels = scope.create(asLongs(examples.labels()));
            long correct = predicted.eq(labels).sum().toType(DataType.INT64, false).getLong();
            return (double) correct;
        }
    }

    /** Mean loss over the task's validation rows, without training on them. */
    public double validationLoss() {
        return DjlRuntime.withoutGrad(() -> validation(false));
    }

    /**
     * Fraction of validation predictions that are right: rows for classification, characters
     * for a language model; NaN for a regression.
     */
    public double validationAccuracy() {
        if (task.objective() == Objective.Kind.REGRESSION) {
            return Double.NaN;
        }
        return DjlRuntime.withoutGrad(() -> validation(true));
    }

    private double validation(boolean accuracy) {
        int rows = task.validationRows();
        double total = 0;
        double count = 0;
        for (int from = 0; from < rows; from += VALIDATION_CHUNK) {
            int to = Math.min(rows, from + VALIDATION_CHUNK);
            try (NDManager scope = manager.newSubManager()) {
                NDList batch = task.validationBatch(scope, from, to);
                NDArray outputs = network().forward(batch.get(0));
                if (!accuracy) {
                    total += objective.loss(outputs, batch.get(1)).toFloatArray()[0]
                            * (to - from);
                    count += to - from;
                } else if (task.objective() == Objective.Kind.CLASSES) {
                    total += outputs.argMax(1).eq(batch.get(1).argMax(1)).sum()
                            .toType(DataType.INT64, false).getLong();
                    count += to - from;
                } else {
                    NDArray right = outputs.argMax(2).eq(batch.get(1));
                    total += right.sum().toType(DataType.INT64, false).getLong();
                    count += right.size();
                }
            }
        }
        return total / count;
    }

    /**
     * Copies this epoch's rows into one array per input and target and cuts them into the
     * per-device micro-batches, each a view, so that a step does no indexing or copying.
     */
    private void startEpoch() {
        closeEpoch();
        int rows = task.trainingRows();
        int chunks = stepsPerEpoch * plan.microBatchesPerStep() * replicas.size();
        int[] order = shuffled ? Digits.permutation(rows, shuffle) : identity(rows);
        int[] used = new int[chunks * plan.batchSize()];
        System.arraycopy(order, 0, used, 0, used.length);
        NDList epoch = task.trainingBatch(manager, used);
        epochInputs = epoch.get(0).split(chunks);
        epochTargets = epoch.get(1).split(chunks);
        epochInputs.add(epoch.get(0));
        epochTargets.add(epoch.get(1));
        stepInEpoch = 0;
    }

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private void closeEpoch() {
        if (epochInputs != null) {
            epochInputs.close();
            epochTargets.close();
        }
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
