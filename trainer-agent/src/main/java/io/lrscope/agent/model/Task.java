package io.lrscope.agent.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A model paired with its data: what a {@link TrainingSession} trains. Rows are the unit of
 * batching (a table row, or one window of text); the validation rows were split off with a
 * fixed seed and are never trained on.
 */
public interface Task {

    /** Model name as published in {@code SweepStarted}, e.g. {@code digits-mlp}. */
    String model();

    /** Data set name or file as published in {@code SweepStarted}. */
    String dataset();

    Objective.Kind objective();

    int trainingRows();

    int validationRows();

    /** [inputs, targets] of the training rows {@code rows}, in that order, in {@code manager}. */
    NDList trainingBatch(NDManager manager, int[] rows);

    /** [inputs, targets] of the validation rows {@code from} (inclusive) to {@code to}. */
    NDList validationBatch(NDManager manager, int from, int to);

    /** A network with fresh weights drawn from {@code seed}, in {@code manager}. */
    Network newNetwork(NDManager manager, long seed);
}
