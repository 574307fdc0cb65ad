package io.lrscope.cli;

import io.lrscope.agent.SweepSettings;
import picocli.CommandLine.Option;

/** The trainer agent's options, shared by sweep, demo and train. */
final class AgentOptions {

    private static final SweepSettings DEFAULTS = SweepSettings.defaults();

    @Option(names = "--sweep-id", description = "id shared by all ranks (default: random)")
    String sweepId;

    @Option(names = "--rank", defaultValue = "${env:LRSCOPE_RANK:-0}",
            description = "this agent's rank (default ${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--dp-degree", defaultValue = "${env:LRSCOPE_DP_DEGREE:-1}",
            description = "data-parallel degree (default ${DEFAULT-VALUE})")
    int dpDegree;

    @Option(names = "--batch-size", defaultValue = "32",
            description = "examples per micro-batch per device (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1",
            description = "micro-batches per optimizer step (default ${DEFAULT-VALUE})")
    int gradAccum;

    @Option(names = "--optimizer", defaultValue = "adamw",
            description = "sgd, adam or adamw, with PyTorch's update rules "
                    + "(default ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9",
            description = "SGD momentum (default ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--weight-decay",
            description = "weight decay; decoupled for adamw (default 0.01 for adamw, "
                    + "as in PyTorch, else 0)")
    Double weightDecay;

    @Option(names = "--ramp", defaultValue = "exponential",
            description = "exponential or linear (default ${DEFAULT-VALUE})")
    String ramp;

    @Option(names = "--start-lr", defaultValue = "1e-7",
            description = "first LR (default ${DEFAULT-VALUE})")
    double startLr;

    @Option(names = "--end-lr", defaultValue = "1",
            description = "last LR (default ${DEFAULT-VALUE})")
    double endLr;

    @Option(names = "--steps",
            description = "optimizer steps (default 100; the demo sweeps 300)")
    Integer steps;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--model", defaultValue = SweepSettings.DIGITS_MLP,
            description = "model (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--label", defaultValue = "", description = "free text shown with the sweep")
    String label;

    private double weightDecay() {
        if (weightDecay != null) {
            return weightDecay;
        }
        return "adamw".equalsIgnoreCase(optimizer) ? 0.01 : 0.0;
    }

    SweepSettings settings() {
        return settings(DEFAULTS.steps());
    }

    /** The resolved settings, with {@code defaultSteps} when --steps was not given. */
    SweepSettings settings(int defaultSteps) {
        SweepSettings settings = new SweepSettings(
                sweepId == null ? DEFAULTS.sweepId() : sweepId, rank, dpDegree, batchSize,
                gradAccum, optimizer, momentum, weightDecay(), ramp, startLr, endLr,
                steps == null ? defaultSteps : steps, seed,
                model, label);
        settings.validate();
        return settings;
    }
}
