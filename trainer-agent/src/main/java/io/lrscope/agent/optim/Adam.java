package io.lrscope.agent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * {@code torch.optim.Adam} and {@code AdamW} (β1 0.9, β2 0.999, ε 1e-8, amsgrad off). Adam adds
 * {@code wd·w} to the gradient; AdamW instead shrinks the weight, {@code w *= 1 - lr·wd}, before
 * the moment update. Both bias-correct the moments and add ε to {@code √v̂}, not to v̂:
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
    private NDArray stepSize;
    private NDArray biasCorrection2Sqrt;
    private NDArray shrink;

    Adam(List<NDArray> parameters, NDManager stateManager, double weightDecay, boolean decoupled) {
        super(parameters, stateManager);
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.firstMoments = new NDArray[parameters.size()];
        this.secondMoments = new NDArray[parameters.size()];
    }

    @Override
    protected void beginStep(double lr, long step) {
        stepSize = scalar(lr / (1 - Math.pow(BETA1, step)));
        biasCorrection2Sqrt = scalar(Math.sqrt(1 - Math.pow(BETA2, step)));
        if (decoupled && weightDecay != 0) {
            shrink = scalar(1 - lr * weightDecay);
        }
    }

    @Override
    protected void endStep() {
        for (NDArray scalar : new NDArray[] {stepSize, biasCorrection2Sqrt, shrink}) {
            if (scalar != null) {
                scalar.close();
            }
        }
        stepSize = null;
        biasCorrection2Sqrt = null;
        shrink = null;
    }

    @Override
    protected void update(int index, NDArray weight, NDArray gradient, NDArray lr) {
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
                    weight.muli(shrink);
                } else {
                    try (NDArray decay = weight.mul(constant(weightDecay))) {
                        decayed = gradient.add(decay);
                    }
                    g = decayed;
                }
            }
            try (NDArray scaled = g.mul(constant(1 - BETA1))) {
                m.muli(constant(BETA1)).addi(scaled);
            }
            try (NDArray squared = g.mul(g)) {
                v.muli(constant(BETA2)).addi(squared.muli(constant(1 - BETA2)));
            }
            try (NDArray denominator = v.sqrt();
                    NDArray ratio = m.div(denominator.divi(biasCorrection2Sqrt)
                            .addi(constant(EPSILON)))) {
                weight.subi(ratio.muli(stepSize));
            }
        } finally {
            if (decayed != null) {
                decayed.close();
            }
        }
    }
}
