package io.lrscope.agent.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * Which devices of this host train a sweep together: the GPUs DJL's PyTorch engine sees, or the
 * CPU when it sees none. Several devices train data-parallel inside one agent (one replica each,
 * see {@link TrainingSession}); this path has only run with one CPU device here, never on GPUs.
 */
public final class Devices {

    private Devices() {}

    /** GPUs the engine sees (0 with the CPU-only native build). Loads the engine. */
    public static int gpuCount() {
        DjlRuntime.configure();
        return Engine.getInstance().getGpuCount();
    }

    /** All GPUs when there are any, else 1 (the CPU). */
    public static int available() {
        return Math.max(1, gpuCount());
    }

    /**
     * The first {@code count} GPUs, or the CPU when the engine sees no GPU and {@code count} is
     * 1. Throws {@link IllegalArgumentException} when more are asked for than exist.
     */
    public static List<Device> resolve(int count) {
        int gpus = gpuCount();
        if (count < 1 || count > Math.max(1, gpus)) {
            throw new IllegalArgumentException("devices=" + count + ": must be in 1.."
                    + Math.max(1, gpus) + " (DJL sees " + gpus + " GPU"
                    + (gpus == 1 ? "" : "s") + (gpus == 0 ? "; the CPU counts as one" : "")
                    + ")");
        }
        if (gpus == 0) {
            return List.of(Device.cpu());
        }
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(Device.gpu(i));
        }
        return devices;
    }
}
