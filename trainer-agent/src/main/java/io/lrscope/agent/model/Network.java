package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A trainable function from a batch of inputs to outputs (class logits, a regression value, or
 * next-character logits per position). Its parameters are plain arrays that the optimizer
 * updates in place after each backward pass; a network never trains itself.
 */
public interface Network {

    /** The trainable arrays, in a fixed order; each has gradients enabled. */
    List<NDArray> parameters();

    /** Outputs for {@code inputs}; results live in the inputs' manager. */
    NDArray forward(NDArray inputs);
}
