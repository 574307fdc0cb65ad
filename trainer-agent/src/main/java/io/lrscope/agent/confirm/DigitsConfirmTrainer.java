package io.lrscope.agent.confirm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.data.Digits;
import io.lrscope.agent.data.Examples;
import io.lrscope.agent.model.DjlRuntime;
import io.lrscope.agent.model.TrainingSession;

/**
 * A confirm run on the sweep's own model: the digits MLP with the sweep's optimizer, batch plan
 * and seed, measured on the fixed validation split every sweep and accuracy check shares.
 */
final class DigitsConfirmTrainer implements ConfirmTrainer {

    private final TrainingSession session;
    private final Examples validation = Digits.split().validation();
    private final NDManager manager;
    private final NDArray features;
    private final NDArray oneHot;

    DigitsConfirmTrainer(SweepSettings sweep) {
        this.session = TrainingSession.digits(sweep.optimizer(), sweep.momentum(),
                sweep.weightDecay(), sweep.batchPlan(), sweep.seed());
        this.manager = NDManager.newBaseManager();
        this.features = manager.create(validation.features(),
                new Shape(validation.size(), validation.width()));
        this.oneHot = manager.create(oneHot(validation.labels(), Digits.CLASSES),
                new Shape(validation.size(), Digits.CLASSES));
    }

    @Override
    public double step(double lr) {
        return session.step(lr);
    }

    @Override
    public Evaluation evaluate() {
        double loss = DjlRuntime.withoutGrad(() -> {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = features.duplicate();
                x.attach(scope);
                NDArray logProbabilities = session.model().logits(x).logSoftmax(1);
                return -logProbabilities.mul(oneHot).sum().getFloat() / validation.size();
            }
        });
        return new Evaluation(loss, session.accuracy(validation));
    }

    private static float[] oneHot(int[] labels, int classes) {
        float[] rows = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            rows[i * classes + labels[i]] = 1f;
        }
        return rows;
    }

    @Override
    public void close() {
        manager.close();
        session.close();
    }
}
