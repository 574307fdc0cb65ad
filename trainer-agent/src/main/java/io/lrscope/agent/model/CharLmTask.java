package io.lrscope.agent.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lrscope.agent.data.CharText;

/**
 * Next-character prediction on windows of a text with {@link CharLstm}: inputs are a window's
 * first {@code length} characters, targets the same window shifted by one.
 */
public final class CharLmTask implements Task {

    public static final int EMBEDDING = 32;
    public static final int HIDDEN = 128;

    private final CharText.Windows text;

    public CharLmTask(CharText.Windows text) {
        this.text = text;
    }

    public CharText.Windows text() {
        return text;
    }

    @Override
    public String model() {
        return "char-lm-lstm" + HIDDEN;
    }

    @Override
    public String dataset() {
        return text.name();
    }

    @Override
    public Objective.Kind objective() {
        return Objective.Kind.NEXT_TOKEN;
    }

    @Override
    public int trainingRows() {
        return text.trainRows();
    }

    @Override
    public int validationRows() {
        return text.validationRows();
    }

    @Override
    public NDList trainingBatch(NDManager manager, int[] rows) {
        return batch(manager, text.train(), rows);
    }

    @Override
    public NDList validationBatch(NDManager manager, int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return batch(manager, text.validation(), rows);
    }

    private NDList batch(NDManager manager, int[] windows, int[] rows) {
        int length = text.length();
        long[] inputs = new long[rows.length * length];
        long[] targets = new long[rows.length * length];
        for (int i = 0; i < rows.length; i++) {
            int at = rows[i] * (length + 1);
            for (int j = 0; j < length; j++) {
                inputs[i * length + j] = windows[at + j];
                targets[i * length + j] = windows[at + j + 1];
            }
        }
        Shape shape = new Shape(rows.length, length);
        NDArray x = manager.create(inputs, shape);
        NDArray y = manager.create(targets, shape);
        return new NDList(x, y);
    }

    @Override
    public Network newNetwork(NDManager manager, long seed) {
        return CharLstm.create(manager, text.vocabularySize(), EMBEDDING, HIDDEN, seed);
    }
}
