package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The loss a task trains, as PyTorch's functional form computes it: the mean over the batch,
 * so that gradient accumulation can average micro-batches by scaling each by 1/count.
 *
 * <ul>
 *   <li>{@link Kind#CLASSES}: softmax cross-entropy, outputs [batch, classes], targets one-hot
 *       float rows (built once per epoch; cheaper forward and backward than picking by index).
 *   <li>{@link Kind#REGRESSION}: mean squared error, outputs and targets [batch, 1].
 *   <li>{@link Kind#NEXT_TOKEN}: cross-entropy per position, outputs [batch, length, vocab],
 *       targets int64 [batch, length]; the mean is over every position of every row.
 * </ul>
 */
public final class Objective {

    /** What the outputs are compared with. */
    public enum Kind { CLASSES, REGRESSION, NEXT_TOKEN }

    private final Kind kind;
    private final NDManager constants;
    private final int batch;
    private final NDArray minusInverseBatch;

    Objective(Kind kind, NDManager constants, int batch) {
        this.kind = kind;
        this.constants = constants;
        this.batch = batch;
        this.minusInverseBatch = constants.create(-1f / batch);
    }

    public Kind kind() {
        return kind;
    }

    /** The mean loss of the batch, a scalar array in the outputs' manager. */
    public NDArray loss(NDArray outputs, NDArray targets) {
        return switch (kind) {
            case CLASSES -> {
                long rows = outputs.getShape().get(0);
                NDArray logProbabilities = outputs.logSoftmax(1).mul(targets).sum();
                if (rows == batch) {
                    yield logProbabilities.mul(minusInverseBatch);
                }
                try (NDArray scale = constants.create(-1f / rows)) {
                    yield logProbabilities.mul(scale);
                }
            }
            case REGRESSION -> outputs.sub(targets).square().mean();
            case NEXT_TOKEN -> outputs.logSoftmax(2)
                    .gather(targets.expandDims(2), 2)
                    .mean()
                    .neg();
        };
    }
}
