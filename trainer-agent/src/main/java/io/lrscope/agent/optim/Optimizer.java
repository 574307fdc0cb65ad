package io.lrscope.agent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.lrscope.agent.model.DjlRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An optimizer with PyTorch's exact update rule, applied to the gradients a backward pass left
 * on the parameters, with the learning rate given to every {@link #step(double)}.
 *
 * <p>DJL's built-in optimizers fold the LR into their state ({@code state = m·state + lr·g}),
 * which equals PyTorch's rule only while the LR is constant; in a range test, where the LR
 * changes every step, they drift far apart. Users carry the LR this tool finds to PyTorch, so
 * these follow {@code torch.optim} and are checked against a fixture that PyTorch produced.
 *
 * <p>One instance holds the state (momentum buffers, moments, step count) of one training:
 * create a new one for every sweep, never reuse one across sweeps.
 */
public abstract class Optimizer {

    protected final List<NDArray> parameters;
    protected final NDManager stateManager;
    private final Map<Double, NDArray> constants = new HashMap<>();
    private long steps;

    protected Optimizer(List<NDArray> parameters, NDManager stateManager) {
        this.parameters = List.copyOf(parameters);
        this.stateManager = stateManager;
    }

    /** {@code sgd} (with momentum), {@code adam} (L2 weight decay) or {@code adamw}. */
    public static Optimizer create(
            String name,
            double momentum,
            double weightDecay,
            List<NDArray> parameters,
            NDManager stateManager) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new SgdMomentum(parameters, stateManager, momentum, weightDecay);
            case "adam" -> new Adam(parameters, stateManager, weightDecay, false);
            case "adamw" -> new Adam(parameters, stateManager, weightDecay, true);
            default -> throw new IllegalArgumentException(
                    "optimizer=" + name + ": must be sgd, adam or adamw");
        };
    }

    /** Updates every parameter from its gradient at {@code lr}, then zeroes the gradients. */
    public final void step(double lr) {
        steps++;
        DjlRuntime.withoutGrad(() -> {
            try (NDArray lrScalar = scalar(lr)) {
                beginStep(lr, steps);
                for (int i = 0; i < parameters.size(); i++) {
                    NDArray weight = parameters.get(i);
                    try (NDArray gradient = weight.getGradient()) {
                        update(i, weight, gradient, lrScalar);
                    }
                    // PyTorch-engine call: DJL's zeroing (grad -= grad) would keep a NaN forever.
                    JniUtils.zeroGrad((PtNDArray) weight);
                }
            } finally {
                endStep();
            }
        });
    }

    /** Optimizer steps taken so far (PyTorch's {@code state['step']}). */
    public long steps() {
        return steps;
    }

    /** Called before the parameters of step {@code step} (1-based) are updated. */
    protected void beginStep(double lr, long step) {}

    /** Called after every parameter of the step was updated, also on failure. */
    protected void endStep() {}

    /**
     * Applies one update to {@code weight} in place; {@code lr} is a float32 scalar array.
     * Temporaries must be closed here.
     */
    protected abstract void update(int index, NDArray weight, NDArray gradient, NDArray lr);

    /**
     * A float32 scalar array the caller closes. Arithmetic with arrays, not Java numbers: DJL
     * turns every {@code mul(Number)} into a new native tensor, which cost more than the math.
     */
    protected NDArray scalar(double value) {
        return stateManager.create((float) value);
    }

    /** A float32 scalar array for a value fixed for the whole training; owned by the cache. */
    protected NDArray constant(double value) {
        return constants.computeIfAbsent(value, this::scalar);
    }
}
