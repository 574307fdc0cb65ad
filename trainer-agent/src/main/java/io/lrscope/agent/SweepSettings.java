package io.lrscope.agent;

import io.lrscope.agent.data.CharText;
import io.lrscope.agent.data.TabularCsv;
import io.lrscope.agent.model.BatchPlan;
import io.lrscope.agent.model.CharLmTask;
import io.lrscope.agent.model.Devices;
import io.lrscope.agent.model.Task;
import io.lrscope.agent.model.TableTask;
import io.lrscope.agent.model.TorchScriptNetwork;
import io.lrscope.agent.model.TrainingSession;
import io.lrscope.agent.ramp.LrRamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Everything one agent needs to run one sweep, validated once before any event is sent.
 *
 * @param sweepId shared by all ranks of a sweep; the Kafka key of its events
 * @param rank this agent's rank, 0-based, below {@code dpDegree}
 * @param dpDegree data-parallel degree; each agent computes every rank's micro-batches itself
 *     (no gradient exchange yet), so all ranks hold DDP's weights at dpDegree times the compute
 * @param batchSize examples per micro-batch on this device
 * @param gradAccum micro-batches whose gradients are averaged into one optimizer step
 * @param optimizer sgd (with {@code momentum}), adam or adamw; PyTorch's update rules
 * @param momentum SGD momentum in [0, 1); ignored by adam and adamw
 * @param weightDecay L2 for sgd and adam, decoupled for adamw; 0 disables it
 * @param ramp exponential (default) or linear
 * @param steps optimizer steps; the LR goes from {@code startLr} at step 0 to {@code endLr} at
 *     step {@code steps - 1}
 * @param model {@code digits-mlp} (MLP 64-64-10 on the bundled 8×8 digits), {@code mlp} (an MLP
 *     sized to the table in {@code dataFile}), {@code char-lm} (embedding + LSTM on
 *     {@code textFile}, or the bundled sample) or {@code torchscript:FILE} (a TorchScript module
 *     trained on {@code dataFile}, or on the digits)
 * @param label free text shown with the sweep; may be empty
 * @param dataFile a CSV with a header for {@code mlp} and {@code torchscript:}; null otherwise
 * @param labelColumn the CSV column to predict; required with {@code dataFile}
 * @param textFile UTF-8 text for {@code char-lm}; null for the bundled sample
 * @param sequenceLength characters the char-lm reads per window (default 64)
 * @param devices devices of this host training together (data parallel, one replica each);
 *     the per-rank batch is {@code batchSize × devices}
 * @param epochs informational: the number of epochs {@code steps} was derived from, else 0
 */
public record SweepSettings(
        String sweepId,
        int rank,
        int dpDegree,
        int batchSize,
        int gradAccum,
        String optimizer,
        double momentum,
        double weightDecay,
        String ramp,
        double startLr,
        double endLr,
        int steps,
        long seed,
        String model,
        String label,
        String dataFile,
        String labelColumn,
        String textFile,
        int sequenceLength,
        int devices,
        int epochs) {

    public static final String DIGITS_MLP = "digits-mlp";
    public static final String MLP = "mlp";
    public static final String CHAR_LM = "char-lm";
    public static final String TORCHSCRIPT_PREFIX = "torchscript:";
    public static final int DEFAULT_SEQUENCE_LENGTH = 64;
    public static final Set<String> OPTIMIZERS = Set.of("sgd", "adam", "adamw");
    /** Every rank computes all ranks' micro-batches, so keep the product small. */
    public static final int MAX_DP_DEGREE = 64;

    /** The settings of the digits MLP, as before models and data became choices. */
    public SweepSettings(String sweepId, int rank, int dpDegree, int batchSize, int gradAccum,
            String optimizer, double momentum, double weightDecay, String ramp, double startLr,
            double endLr, int steps, long seed, String model, String label) {
        this(sweepId, rank, dpDegree, batchSize, gradAccum, optimizer, momentum, weightDecay,
                ramp, startLr, endLr, steps, seed, model, label, null, null, null,
                DEFAULT_SEQUENCE_LENGTH, 1, 0);
    }

    /** digits-mlp, SGD momentum 0.9, batch 32, 1e-7 → 1 exponentially over 100 steps, seed 42. */
    public static SweepSettings defaults() {
        return new SweepSettings(newSweepId(), 0, 1, 32, 1, "sgd", 0.9, 0.0, "exponential",
                1e-7, 1.0, 100, 42L, DIGITS_MLP, "");
    }

    /** A short random id, e.g. {@code 3f9c21ab}. */
    public static String newSweepId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Per-device batch × devices × data-parallel degree × accumulation: the batch the LR
     * belongs to.
     */
    public long effectiveBatch() {
        return (long) batchSize * devices * dpDegree * gradAccum;
    }

    /** The examples one rank's gradient covers per micro-batch: batchSize × devices. */
    public int rankBatch() {
        return batchSize * devices;
    }

    /**
     * Throws {@link IllegalArgumentException} with one line, {@code field=value: expectation},
     * for the first bad setting.
     */
    public void validate() {
        require(sweepId != null && !sweepId.isBlank() && sweepId.length() <= 128
                && sweepId.chars().noneMatch(Character::isISOControl),
                "sweepId", sweepId, "1-128 printable characters");
        require(dpDegree >= 1 && dpDegree <= MAX_DP_DEGREE, "dpDegree", dpDegree,
                "in 1.." + MAX_DP_DEGREE);
        require(rank >= 0 && rank < dpDegree, "rank", rank, "in 0.." + (dpDegree - 1));
        require(batchSize > 0, "batchSize", batchSize, "> 0");
        require(gradAccum > 0, "gradAccum", gradAccum, "> 0");
        require(optimizer != null && OPTIMIZERS.contains(optimizer.toLowerCase(Locale.ROOT)),
                "optimizer", optimizer, "sgd, adam or adamw");
        require(momentum >= 0 && momentum < 1, "momentum", momentum, "in [0, 1)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "weightDecay", weightDecay, "a finite number >= 0");
        LrRamp.Kind.parse(ramp);
        require(startLr > 0 && Double.isFinite(startLr), "startLr", startLr,
                "a finite number > 0");
        require(endLr > 0 && Double.isFinite(endLr), "endLr", endLr, "a finite number > 0");
        require(endLr > startLr, "endLr", endLr, "greater than startLr=" + startLr);
        require(steps >= 2, "steps", steps, ">= 2");
        require(devices >= 1, "devices", devices, ">= 1");
        if (devices > 1) {
            Devices.resolve(devices); // names how many devices DJL sees when there are fewer
        }
        require(epochs >= 0, "epochs", epochs, ">= 0");
        validateModelAndData();
        int examples = task().trainingRows();
        require(effectiveBatch() <= examples, "batchSize", batchSize,
                "such that batchSize×devices×dpDegree×gradAccum <= " + examples
                        + " training " + (CHAR_LM.equals(model) ? "windows" : "examples")
                        + " (devices=" + devices + ", dpDegree=" + dpDegree + ", gradAccum="
                        + gradAccum + ")");
        require(label == null || label.length() <= 1024, "label",
                label == null || label.length() <= 40 ? label : label.substring(0, 40) + "...",
                "at most 1024 characters");
        LrRamp.of(LrRamp.Kind.parse(ramp), startLr, endLr, steps);
    }

    private void validateModelAndData() {
        require(model != null && (model.equals(DIGITS_MLP) || model.equals(MLP)
                        || model.equals(CHAR_LM) || model.startsWith(TORCHSCRIPT_PREFIX)),
                "model", model, DIGITS_MLP + ", " + MLP + ", " + CHAR_LM + " or "
                        + TORCHSCRIPT_PREFIX + "FILE");
        boolean table = model.equals(MLP) || model.startsWith(TORCHSCRIPT_PREFIX);
        require(table || dataFile == null, "data", dataFile,
                "given only with --model mlp or torchscript:FILE (" + model
                        + " brings its own data)");
        require(!model.equals(MLP) || dataFile != null, "data", dataFile,
                "a CSV file for --model mlp");
        require(dataFile == null || labelColumn != null, "labelColumn", labelColumn,
                "the name of the column to predict in " + dataFile);
        require(CHAR_LM.equals(model) || textFile == null, "text", textFile,
                "given only with --model char-lm");
        require(sequenceLength >= 2 && sequenceLength <= 4096, "sequenceLength",
                sequenceLength, "in 2..4096");
    }

    /**
     * What these settings train: the model and its data with their fixed validation split.
     * Loading is cached while the files are unchanged. Throws {@link IllegalArgumentException}
     * naming the file, column or model at fault.
     */
    public Task task() {
        if (CHAR_LM.equals(model)) {
            return new CharLmTask(CharText.windows(
                    textFile == null ? null : Path.of(textFile), sequenceLength));
        }
        TableTask table = dataFile == null
                ? TrainingSession.digitsTask()
                : TableTask.of(TabularCsv.load(Path.of(dataFile), labelColumn));
        if (model.startsWith(TORCHSCRIPT_PREFIX)) {
            Path module = Path.of(model.substring(TORCHSCRIPT_PREFIX.length()));
            require(Files.isRegularFile(module), "model", model,
                    "torchscript: followed by an existing file");
            return table.withNetwork("torchscript-" + module.getFileName(),
                    (manager, seed) -> TorchScriptNetwork.load(manager, module));
        }
        return table;
    }

    /**
     * Optimizer steps in {@code count} epochs of this task at this effective batch (the rows
     * left over in each epoch are skipped, as in training).
     */
    public int stepsForEpochs(int count) {
        require(count >= 1, "epochs", count, ">= 1");
        long perEpoch = task().trainingRows() / effectiveBatch();
        require(perEpoch >= 1, "batchSize", batchSize, "such that one epoch has a step");
        long total = perEpoch * count;
        require(total >= 2 && total <= Integer.MAX_VALUE, "epochs", count,
                "such that the sweep has at least 2 steps (one epoch has " + perEpoch + ")");
        return (int) total;
    }

    /** These settings with {@code steps} derived from {@code count} epochs. */
    public SweepSettings withEpochs(int count) {
        int derived = stepsForEpochs(count);
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, derived, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, devices, count);
    }

    /** These settings training {@code newModel} on the given files (null when not used). */
    public SweepSettings withModel(String newModel, String newDataFile, String newLabelColumn,
            String newTextFile, int newSequenceLength) {
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, steps, seed, newModel, label,
                newDataFile, newLabelColumn, newTextFile, newSequenceLength, devices, epochs);
    }

    public SweepSettings withDevices(int count) {
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, steps, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, count, epochs);
    }

    /** The ramp these settings describe; call after {@link #validate()}. */
    public LrRamp lrRamp() {
        return LrRamp.of(LrRamp.Kind.parse(ramp), startLr, endLr, steps);
    }

    public SweepSettings withSweepId(String id) {
        return new SweepSettings(id, rank, dpDegree, batchSize, gradAccum, optimizer, momentum,
                weightDecay, ramp, startLr, endLr, steps, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, devices, epochs);
    }

    public SweepSettings withOptimizer(String name, double newMomentum, double newWeightDecay) {
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, name,
                newMomentum, newWeightDecay, ramp, startLr, endLr, steps, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, devices, epochs);
    }

    public SweepSettings withRank(int newRank, int newDpDegree) {
        return new SweepSettings(sweepId, newRank, newDpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, steps, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, devices, epochs);
    }

    /** The division of each step's examples over ranks and micro-batches. */
    public BatchPlan batchPlan() {
        return new BatchPlan(batchSize, dpDegree, rank, gradAccum);
    }

    public SweepSettings withBatch(int newBatchSize, int newGradAccum) {
        return new SweepSettings(sweepId, rank, dpDegree, newBatchSize, newGradAccum, optimizer,
                momentum, weightDecay, ramp, startLr, endLr, steps, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, devices, epochs);
    }

    public SweepSettings withRamp(String kind, double newStartLr, double newEndLr, int newSteps) {
        return new SweepSettings(sweepId, rank, dpDegree, batchSize, gradAccum, optimizer,
                momentum, weightDecay, kind, newStartLr, newEndLr, newSteps, seed, model, label,
                dataFile, labelColumn, textFile, sequenceLength, devices, 0);
    }

    private static void require(boolean ok, String field, Object value, String expectation) {
        if (!ok) {
            String shown = value instanceof String s
                    ? s.replaceAll("\\p{Cntrl}", "?") : String.valueOf(value);
            throw new IllegalArgumentException(field + "=" + shown + ": must be " + expectation);
        }
    }
}
