package io.lrscope.agent.confirm;

import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.model.Devices;
import io.lrscope.agent.model.TrainingSession;

/**
 * A confirm run on the sweep's own task (digits MLP, a CSV table, the char-LM, a TorchScript
 * module): the sweep's optimizer, batch plan, devices and seed, measured on the task's fixed
 * validation split with the session's own validation loss and accuracy.
 */
final class SessionConfirmTrainer implements ConfirmTrainer {

    private final TrainingSession session;

    SessionConfirmTrainer(SweepSettings sweep) {
        this.session = TrainingSession.open(sweep.task(), sweep.optimizer(), sweep.momentum(),
                sweep.weightDecay(), sweep.batchPlan(), sweep.seed(), true,
                Devices.resolve(sweep.devices()));
    }

    @Override
    public double step(double lr) {
        return session.step(lr);
    }

    @Override
    public Evaluation evaluate() {
        return new Evaluation(session.validationLoss(), session.validationAccuracy());
    }

    @Override
    public void close() {
        session.close();
    }
}
