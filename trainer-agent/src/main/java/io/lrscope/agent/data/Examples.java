package io.lrscope.agent.data;

import java.util.Arrays;

/**
 * A table of labelled examples in plain arrays: row {@code i} is {@code features[i·width ..
 * (i+1)·width)} with class {@code labels[i]}. Plain Java so that splitting and shuffling are
 * tested without an engine; the trainer copies a table into one NDArray per epoch.
 */
public record Examples(float[] features, int[] labels, int width) {

    public Examples {
        if (width <= 0 || features.length != labels.length * width) {
            throw new IllegalArgumentException(
                    "features.length=" + features.length + ": must be labels.length="
                            + labels.length + " times width=" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    /** The examples at {@code rows}, in that order (rows may repeat). */
    public Examples select(int[] rows) {
        float[] x = new float[rows.length * width];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * width, x, i * width, width);
            y[i] = labels[rows[i]];
        }
        return new Examples(x, y, width);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Examples slice(int from, int to) {
        return new Examples(
                Arrays.copyOfRange(features, from * width, to * width),
                Arrays.copyOfRange(labels, from, to),
                width);
    }
}
