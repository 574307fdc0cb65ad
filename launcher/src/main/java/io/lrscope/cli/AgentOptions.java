package io.lrscope.cli;

import io.lrscope.agent.PublishSettings;
import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.model.Devices;
import java.time.Duration;
import java.util.Locale;
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

    @Option(names = "--model",
            description = "digits-mlp, mlp (an MLP sized to --data), char-lm (embedding + LSTM "
                    + "on --text or the bundled sample) or torchscript:FILE (trained on --data "
                    + "or the digits); default: mlp with --data, else digits-mlp")
    String model;

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "a CSV with a header: numeric feature columns and --label-column")
    String dataFile;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "the CSV column to predict; integer-like with few values: "
                    + "classification, other numbers: regression")
    String labelColumn;

    @Option(names = "--text", paramLabel = "FILE",
            description = "UTF-8 text for --model char-lm (default: the bundled sample)")
    String textFile;

    @Option(names = "--sequence-length", defaultValue = "64",
            description = "characters per char-lm window (default ${DEFAULT-VALUE})")
    int sequenceLength;

    @Option(names = "--devices", defaultValue = "auto",
            description = "devices of this host training together: a number, or auto = every "
                    + "GPU DJL sees, else the CPU (default ${DEFAULT-VALUE})")
    String devices;

    @Option(names = "--label", defaultValue = "", description = "free text shown with the sweep")
    String label;

    @Option(names = "--steps-per-record", paramLabel = "N",
            defaultValue = "" + PublishSettings.DEFAULT_STEPS_PER_RECORD,
            description = "steps sent together in one StepsObserved record; 1 sends one "
                    + "StepObserved per step (default ${DEFAULT-VALUE})")
    int stepsPerRecord;

    @Option(names = "--record-delay-ms", paramLabel = "MS", defaultValue = "50",
            description = "longest a step waits in the agent before its record is sent, so "
                    + "the page stays live (default ${DEFAULT-VALUE})")
    long recordDelayMillis;

    private double weightDecay() {
        if (weightDecay != null) {
            return weightDecay;
        }
        return "adamw".equalsIgnoreCase(optimizer) ? 0.01 : 0.0;
    }

    private String model() {
        if (model != null) {
            return model;
        }
        if (textFile != null) {
            return SweepSettings.CHAR_LM;
        }
        return dataFile != null ? SweepSettings.MLP : SweepSettings.DIGITS_MLP;
    }

    private int devices() {
        if ("auto".equalsIgnoreCase(devices.trim())) {
            return Devices.available();
        }
        try {
            return Integer.parseInt(devices.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "devices=" + devices + ": must be a number >= 1 or auto");
        }
    }

    SweepSettings settings() {
        return settings(DEFAULTS.steps());
    }

    /** How the agent groups its steps into records; validated. */
    PublishSettings publishSettings() {
        return PublishSettings.defaults().withStepsPerRecord(stepsPerRecord)
                .withMaxDelay(Duration.ofMillis(recordDelayMillis)).validate();
    }

    /** The resolved settings, with {@code defaultSteps} when --steps was not given. */
    SweepSettings settings(int defaultSteps) {
        return settings(defaultSteps, 0);
    }

    /**
     * The resolved settings; with {@code epochs} > 0 the steps are derived from the data size
     * and the effective batch (and --steps must not be given).
     */
    SweepSettings settings(int defaultSteps, int epochs) {
        if (epochs != 0 && steps != null) {
            throw new IllegalArgumentException("epochs=" + epochs + ": give either --steps or "
                    + "--epochs, not both (steps=" + steps + ")");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs=" + epochs + ": must be >= 1");
        }
        SweepSettings settings = new SweepSettings(
                sweepId == null ? DEFAULTS.sweepId() : sweepId, rank, dpDegree, batchSize,
                gradAccum, optimizer == null ? null : optimizer.toLowerCase(Locale.ROOT), momentum,
                weightDecay(), ramp, startLr, endLr,
                steps == null ? defaultSteps : steps, seed,
                model(), label, dataFile, labelColumn, textFile, sequenceLength, 1, 0);
        settings = settings.withDevices(devices());
        if (epochs > 0) {
            settings = settings.withEpochs(epochs);
        }
        settings.validate();
        return settings;
    }
}
