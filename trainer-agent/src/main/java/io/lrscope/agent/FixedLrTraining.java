package io.lrscope.agent;

import io.lrscope.agent.model.Devices;
import io.lrscope.agent.model.TrainingSession;

/**
 * Checks a recommended LR the way a user would: train the sweep's model from fresh seeded
 * weights and optimizer state for whole epochs at one fixed LR (same model, data, optimizer,
 * batch and accumulation as the sweep), then measure loss and accuracy on the held-out
 * validation split (accuracy is per row for classification, per character for the char-LM,
 * NaN for a regression).
 */
public final class FixedLrTraining {

    /** Per-step training losses, the final validation accuracy (0..1) and validation loss. */
    public record Result(double[] losses, double validationAccuracy, double validationLoss) {

        public Result(double[] losses, double validationAccuracy) {
            this(losses, validationAccuracy, Double.NaN);
        }
    }

    private FixedLrTraining() {}

    public static double validationAccuracy(SweepSettings s, double lr, int epochs) {
        return train(s, lr, epochs).validationAccuracy();
    }

    public static Result train(SweepSettings s, double lr, int epochs) {
        s.validate();
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr=" + lr + ": must be a finite number > 0");
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs=" + epochs + ": must be > 0");
        }
        try (TrainingSession session = TrainingSession.open(s.task(), s.optimizer(),
                s.momentum(), s.weightDecay(), s.batchPlan(), s.seed(), true,
                Devices.resolve(s.devices()))) {
            int steps = session.stepsPerEpoch() * epochs;
            double[] losses = new double[steps];
            for (int step = 0; step < steps; step++) {
                losses[step] = session.step(lr);
            }
            return new Result(losses, session.validationAccuracy(), session.validationLoss());
        }
    }
}
