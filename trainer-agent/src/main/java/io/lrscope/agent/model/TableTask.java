package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lrscope.agent.data.Examples;
import io.lrscope.agent.data.TabularCsv;
import java.util.function.BiFunction;

/**
 * Rows of numeric features with a class or a value to predict: the bundled digits or a user's
 * CSV. The network is an MLP with one hidden ReLU layer unless a caller supplies another
 * (a TorchScript module, say) that maps [batch, width] to [batch, outputs].
 */
public final class TableTask implements Task {

    private final String model;
    private final String dataset;
    private final Objective.Kind objective;
    private final int width;
    private final int outputs;
    private final float[] trainFeatures;
    private final float[] trainTargets;
    private final float[] validationFeatures;
    private final float[] validationTargets;
    private final BiFunction<NDManager, Long, Network> networks;

    private TableTask(String model, String dataset, Objective.Kind objective, int width,
            int outputs, float[] trainFeatures, float[] trainTargets, float[] validationFeatures,
            float[] validationTargets, BiFunction<NDManager, Long, Network> networks) {
        this.model = model;
        this.dataset = dataset;
        this.objective = objective;
        this.width = width;
        this.outputs = outputs;
        this.trainFeatures = trainFeatures;
        this.trainTargets = trainTargets;
        this.validationFeatures = validationFeatures;
        this.validationTargets = validationTargets;
        this.networks = networks;
    }

    /** Classification of {@code train} rows into {@code classes} by an MLP of {@code hidden}. */
    public static TableTask classification(String model, String dataset, Examples train,
            Examples validation, int classes, int hidden) {
        int width = train.width();
        return new TableTask(model, dataset, Objective.Kind.CLASSES, width, classes,
                train.features(), asFloats(train.labels()), validation.features(),
                asFloats(validation.labels()),
                (manager, seed) -> Mlp.create(manager, width, hidden, classes, seed));
    }

    /** A user's table; the MLP's hidden layer is sized by {@link #hiddenUnits}. */
    public static TableTask of(TabularCsv.Table table) {
        boolean classes = table.kind() == TabularCsv.Kind.CLASSIFICATION;
        int width = table.width();
        int outputs = classes ? table.classes() : 1;
        int hidden = hiddenUnits(width, outputs);
        return new TableTask("mlp-" + width + "-" + hidden + "-" + outputs, table.name(),
                classes ? Objective.Kind.CLASSES : Objective.Kind.REGRESSION, width, outputs,
                table.trainFeatures(), table.trainTargets(), table.validationFeatures(),
                table.validationTargets(),
                (manager, seed) -> Mlp.create(manager, width, hidden, outputs, seed));
    }

    /** The same rows and loss with another network, e.g. a TorchScript module. */
    public TableTask withNetwork(String newModel, BiFunction<NDManager, Long, Network> factory) {
        return new TableTask(newModel, dataset, objective, width, outputs, trainFeatures,
                trainTargets, validationFeatures, validationTargets, factory);
    }

    /** Twice the inputs plus outputs, rounded up to a power of two, within 16..256. */
    public static int hiddenUnits(int width, int outputs) {
        int wanted = 2 * (width + outputs);
        int units = Integer.highestOneBit(Math.max(1, wanted - 1)) << 1;
        return Math.max(16, Math.min(256, units));
    }

    public int width() {
        return width;
    }

    /** Classes, or 1 for a regression. */
    public int outputs() {
        return outputs;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String dataset() {
        return dataset;
    }

    @Override
    public Objective.Kind objective() {
        return objective;
    }

    @Override
    public int trainingRows() {
        return trainTargets.length;
    }

    @Override
    public int validationRows() {
        return validationTargets.length;
    }

    @Override
    public NDList trainingBatch(NDManager manager, int[] rows) {
        return batch(manager, trainFeatures, trainTargets, rows);
    }

    @Override
    public NDList validationBatch(NDManager manager, int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return batch(manager, validationFeatures, validationTargets, rows);
    }

    private NDList batch(NDManager manager, float[] features, float[] targets, int[] rows) {
        float[] x = new float[rows.length * width];
        int targetWidth = objective == Objective.Kind.CLASSES ? outputs : 1;
        float[] y = new float[rows.length * targetWidth];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * width, x, i * width, width);
            if (objective == Objective.Kind.CLASSES) {
                y[i * outputs + (int) targets[rows[i]]] = 1f;
            } else {
                y[i] = targets[rows[i]];
            }
        }
        NDArray inputs = manager.create(x, new Shape(rows.length, width));
        NDArray expected = manager.create(y, new Shape(rows.length, targetWidth));
        return new NDList(inputs, expected);
    }

    private static float[] asFloats(int[] labels) {
        float[] values = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = labels[i];
        }
        return values;
    }

    @Override
    public Network newNetwork(NDManager manager, long seed) {
        return networks.apply(manager, seed);
    }
}
