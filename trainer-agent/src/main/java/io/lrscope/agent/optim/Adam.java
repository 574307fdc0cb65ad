package io.lrscope.agent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * {@code torch.optim.Adam} and {@code AdamW} (β1 0.9, β2 0.999, ε 1e-8, amsgrad off). Adam adds
 * {@code wd·w} to the gradient; AdamW instead shrinks the weight, {@code w *= 1 - lr·wd}, before
 * the moment update. Both bias-correct the moments and add ε to {@code √v̂} (not to {@code v̂}):
 * {@code w -= lr/(1-β1^t) · m / (√v / √(1-β2^t) + ε)}.
 */
final class Adam extends Optimizer {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final double weightDecay;
    private final boolean decoupled;
    private final NDArray[] firstMoments;
    private final NDArray[] secondMoments;

    Adam(List<NDArray> parameters, NDManager stateManager, double weightDecay, boolean decoupled) {
        super(parameters, stateManager);
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.firstMoments = new NDArray[parameters.size()];
        this.secondMoments = new NDArray[parameters.size()];
    }

    @Override
    protected void update(int index, NDArray weight, NDArray gradient, double lr, long step) {
        if (firstMoments[index] == null) {
            firstMoments[index] = stateManager.zeros(weight.getShape(), weight.getDataType());
            secondMoments[index] = stateManager.zeros(weight.getShape(), weight.getDataType());
        }
        NDArray m = firstMoments[index];
        NDArray v = secondMoments[index];
        NDArray decayed = null;
        try {
            NDArray g = gradient;
            if (weightDecay != 0) {
                if (decoupled) {
                    weight.muli(1 - lr * weightDecay);
                } else {
                    try (NDArray decay = weight.mul(weightDecay)) {
                        decayed = gradient.add(decay);
                    }
                    g = decayed;
                }
            }
            try (NDArray scaled = g.mul(1 - BETA1)) {
                m.muli(BETA1).addi(scaled);
            }
            try (NDArray squared = g.mul(g)) {
                v.muli(BETA2).addi(squared.muli(1 - BETA2));
            }

            double biasCorrection1 = 1 - Math.pow(BETA1, step);
            double biasCorrection2 = 1 - Math.pow(BETA2, step);
            double stepSize = lr / biasCorrection1;
            try (NDArray denominator = v.sqrt();
                    NDArray ratio = m.div(denominator.divi(Math.sqrt(biasCorrection2))
                            .addi(EPSILON))) {
                weight.subi(ratio.muli(stepSize));
            }
        } finally {
            if (decayed != null) {
                decayed.close();
            }
        }
    }
}
