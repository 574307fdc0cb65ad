package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A two-layer perceptron (inputs → hidden ReLU → class logits) trained with softmax
 * cross-entropy; DJL blocks hold the weights, in the caller's {@link NDManager}.
 *
 * <p>Weights start from this class's own seeded draw, PyTorch's default for {@code nn.Linear}
 * (weight and bias uniform in ±1/√fan_in), not from the engine's random generator, so the same
 * seed gives the same start on any engine state: a sweep earlier in the process cannot shift
 * the start of a later training. Tensor names and layouts follow PyTorch's
 * {@code nn.Sequential(Linear, ReLU, Linear)}: {@code 0.weight} [hidden, inputs], {@code 0.bias},
 * {@code 2.weight} [classes, hidden], {@code 2.bias}.
 */
public final class Mlp implements Network {

    public static final List<String> NAMES = List.of("0.weight", "0.bias", "2.weight", "2.bias");

    private final List<NDArray> parameters;
    private final List<Shape> shapes;
    private final int classes;

    private Mlp(List<NDArray> parameters, int classes) {
        this.parameters = parameters;
        this.shapes = parameters.stream().map(NDArray::getShape).toList();
        this.classes = classes;
    }

    /** A fresh network with seeded weights in {@code manager}. */
    public static Mlp create(NDManager manager, int inputs, int hidden, int classes, long seed) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputs));

        List<NDArray> parameters = new ArrayList<>();
        for (var pair : block.getParameters()) {
            parameters.add(pair.getValue().getArray());
        }
        if (parameters.size() != NAMES.size()) {
            throw new IllegalStateException("bug: expected 4 parameters, got " + parameters.size());
        }
        Mlp mlp = new Mlp(parameters, classes);
        mlp.load(seededWeights(inputs, hidden, classes, seed));
        return mlp;
    }

    /** PyTorch's default nn.Linear initialisation, drawn from one seeded generator. */
    static Map<String, float[]> seededWeights(int inputs, int hidden, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("0.weight", uniform(random, hidden * inputs, inputs));
        weights.put("0.bias", uniform(random, hidden, inputs));
        weights.put("2.weight", uniform(random, classes * hidden, hidden));
        weights.put("2.bias", uniform(random, classes, hidden));
        return weights;
    }

    private static float[] uniform(SplittableRandom random, int count, int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    /** Overwrites every weight; {@code weights} maps {@link #NAMES} to row-major values. */
    public void load(Map<String, float[]> weights) {
        for (int i = 0; i < NAMES.size(); i++) {
            float[] values = weights.get(NAMES.get(i));
            if (values == null || values.length != shapes.get(i).size()) {
                throw new IllegalArgumentException(NAMES.get(i) + ": expected "
                        + shapes.get(i).size() + " values for shape " + shapes.get(i));
            }
        }
        DjlRuntime.withoutGrad(() -> {
            for (int i = 0; i < NAMES.size(); i++) {
                parameters.get(i).set(weights.get(NAMES.get(i)));
            }
        });
    }

    /** A copy of every weight, by PyTorch name, row-major. */
    public Map<String, float[]> weights() {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            weights.put(NAMES.get(i), parameters.get(i).toFloatArray());
        }
        return weights;
    }

    /** The trainable arrays in {@link #NAMES} order; optimizers update them in place. */
    @Override
    public List<NDArray> parameters() {
        return parameters;
    }

    /** The logits, or the regression value when built with one output. */
    @Override
    public NDArray forward(NDArray x) {
        return logits(x);
    }

    /** Class logits [batch, classes]; the result lives in {@code x}'s manager. */
    public NDArray logits(NDArray x) {
        // Functional calls on the block's own arrays: the same math as block.forward without its
        // per-layer device and parameter-store lookups.
        NDArray hidden = Activation.relu(
                Linear.linear(x, parameters.get(0), parameters.get(1)).singletonOrThrow());
        return Linear.linear(hidden, parameters.get(2), parameters.get(3)).singletonOrThrow();
    }

    /**
     * Mean softmax cross-entropy of the batch, as PyTorch's {@code F.cross_entropy}; labels are
     * class indices (int64) of shape [batch]. Convenient, not fast: see the other overload.
     */
    public NDArray loss(NDArray x, NDArray labels) {
        NDManager manager = x.getManager();
        NDArray targets = labels.oneHot(classes);
        NDArray scale = manager.create(-1f / labels.getShape().get(0));
        return loss(x, targets, scale);
    }

    /**
     * Mean softmax cross-entropy with one-hot {@code targets} [batch, classes] and {@code scale}
     * = -1/batch (a scalar array): {@code -(1/B)·Σ targets·logSoftmax(logits)}. This costs a
     * third less per step than picking each row's log-probability by label index, forward and
     * backward; the one-hot rows are built once per epoch.
     */
    public NDArray loss(NDArray x, NDArray targets, NDArray scale) {
        return logits(x).logSoftmax(1).mul(targets).sum().mul(scale);
    }
}
