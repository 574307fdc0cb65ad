package io.lrscope.agent.confirm;

/**
 * One confirm run's model in training: steps at a given LR and measures itself on held-out
 * data. Each instance starts from fresh seeded weights and optimizer state.
 */
public interface ConfirmTrainer extends AutoCloseable {

    /** Validation loss (mean cross-entropy) and accuracy (0..1) of the current weights. */
    record Evaluation(double loss, double accuracy) {}

    /** One optimizer step at {@code lr}; the batch loss taken before the update. */
    double step(double lr);

    Evaluation evaluate();

    @Override
    void close();
}
