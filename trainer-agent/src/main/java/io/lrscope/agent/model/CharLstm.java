package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A character-level language model: embedding → one LSTM layer → linear to next-character
 * logits at every position. PyTorch's {@code nn.Embedding}, {@code nn.LSTM(batch_first=True)}
 * and {@code nn.Linear}, called through the engine's fused LSTM kernel; weights start from this
 * class's own seeded draw with PyTorch's default distributions (embedding N(0, 1), LSTM and
 * linear uniform in ±1/√hidden), so a seed gives the same start on any engine state.
 */
public final class CharLstm implements Network {

    private final List<NDArray> parameters;
    private final int hidden;

    private CharLstm(List<NDArray> parameters, int hidden) {
        this.parameters = parameters;
        this.hidden = hidden;
    }

    /** Parameters: embedding, w_ih, w_hh, b_ih, b_hh, out.weight, out.bias. */
    public static CharLstm create(NDManager manager, int vocabulary, int embedding, int hidden,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(hidden);
        List<NDArray> parameters = List.of(
                normal(manager, random, new Shape(vocabulary, embedding)),
                uniform(manager, random, new Shape(4L * hidden, embedding), bound),
                uniform(manager, random, new Shape(4L * hidden, hidden), bound),
                uniform(manager, random, new Shape(4L * hidden), bound),
                uniform(manager, random, new Shape(4L * hidden), bound),
                uniform(manager, random, new Shape(vocabulary, hidden), bound),
                uniform(manager, random, new Shape(vocabulary), bound));
        parameters.forEach(p -> p.setRequiresGradient(true));
        return new CharLstm(parameters, hidden);
    }

    private static NDArray normal(NDManager manager, SplittableRandom random, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    private static NDArray uniform(NDManager manager, SplittableRandom random, Shape shape,
            double bound) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return manager.create(values, shape);
    }

    @Override
    public List<NDArray> parameters() {
        return parameters;
    }

    /** Logits [batch, length, vocabulary] for token ids [batch, length] (int64). */
    @Override
    public NDArray forward(NDArray tokens) {
        NDManager manager = tokens.getManager();
        NDArray embedded = Embedding.embedding(tokens, parameters.get(0), SparseFormat.DENSE)
                .singletonOrThrow();
        Shape state = new Shape(1, tokens.getShape().get(0), hidden);
        NDList initial = new NDList(manager.zeros(state), manager.zeros(state));
        NDList weights = new NDList(parameters.get(1), parameters.get(2), parameters.get(3),
                parameters.get(4));
        NDArray sequence = embedded.getNDArrayInternal()
                .lstm(embedded, initial, weights, true, 1, 0, true, false, true)
                .get(0);
        return Linear.linear(sequence, parameters.get(5), parameters.get(6)).singletonOrThrow();
    }
}
