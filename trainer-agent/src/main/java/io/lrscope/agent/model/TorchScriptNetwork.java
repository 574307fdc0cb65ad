package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A TorchScript module (saved with {@code torch.jit.save}) trained in place: its parameters are
 * loaded with gradients on and updated by the agent's optimizer, its {@code forward} runs in
 * training mode. It must map one float tensor [batch, features] to one tensor [batch, outputs]
 * (class logits, or one value for a regression).
 *
 * <p>Every session loads the file anew, so every sweep starts from the weights saved in the file
 * (the sweep's seed does not re-draw them) and a sweep never changes the file.
 */
public final class TorchScriptNetwork implements Network {

    private final PtSymbolBlock block;
    private final List<NDArray> parameters;

    private TorchScriptNetwork(PtSymbolBlock block, List<NDArray> parameters) {
        this.block = block;
        this.parameters = parameters;
    }

    /** Loads {@code file} into {@code manager} (a PyTorch manager) with trainable weights. */
    public static TorchScriptNetwork load(NDManager manager, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model=torchscript:" + file + ": no such file");
        }
        PtNDManager pt = (PtNDManager) manager;
        PtSymbolBlock block;
        try {
            block = JniUtils.loadModule(pt, file, true, new String[0], new String[0], true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model=torchscript:" + file
                    + ": not a TorchScript module this PyTorch can load ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        NDList parameters = JniUtils.moduleGetParams(block, pt);
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(
                    "model=torchscript:" + file + ": the module has no parameters to train");
        }
        for (NDArray parameter : parameters) {
            parameter.setRequiresGradient(true);
        }
        return new TorchScriptNetwork(block, List.copyOf(parameters));
    }

    @Override
    public List<NDArray> parameters() {
        return parameters;
    }

    @Override
    public NDArray forward(NDArray inputs) {
        ParameterStore store = new ParameterStore(inputs.getManager(), false);
        return block.forward(store, new NDList(inputs), true).singletonOrThrow();
    }
}
