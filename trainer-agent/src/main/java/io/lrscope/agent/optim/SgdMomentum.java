package io.lrscope.agent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * {@code torch.optim.SGD} with dampening 0 and nesterov off: {@code g += wd·w}; {@code buf = g}
 * on the first step, then {@code buf = m·buf + g}; {@code w -= lr·buf}. The LR multiplies the
 * buffer at update time, so a new LR applies to the whole accumulated velocity at once.
 */
final class SgdMomentum extends Optimizer {

    private final double momentum;
    private final double weightDecay;
    private final NDArray[] buffers;

    SgdMomentum(List<NDArray> parameters, NDManager stateManager, double momentum,
            double weightDecay) {
        super(parameters, stateManager);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.buffers = new NDArray[parameters.size()];
    }

    @Override
    protected void update(int index, NDArray weight, NDArray gradient, NDArray lr) {
        NDArray decayed = null;
        try {
            NDArray direction = gradient;
            if (weightDecay != 0) {
                try (NDArray decay = weight.mul(constant(weightDecay))) {
                    decayed = gradient.add(decay);
                }
                direction = decayed;
            }
            if (momentum != 0) {
                if (buffers[index] == null) {
                    buffers[index] = direction.duplicate();
                    buffers[index].attach(stateManager);
                } else {
                    buffers[index].muli(constant(momentum)).addi(direction);
                }
                direction = buffers[index];
            }
            try (NDArray delta = direction.mul(lr)) {
                weight.subi(delta);
            }
        } finally {
            if (decayed != null) {
                decayed.close();
            }
        }
    }
}
