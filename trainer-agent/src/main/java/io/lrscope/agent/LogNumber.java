package io.lrscope.agent;

import java.util.Locale;

/**
 * A number for a log line, formatted with {@link Locale#ROOT} only if the line is written:
 * LRs as {@code 3.16e-04}, losses as {@code 0.4121}.
 */
record LogNumber(double value, String pattern) {

    static LogNumber lr(double value) {
        return new LogNumber(value, "%.2e");
    }

    static LogNumber loss(double value) {
        return new LogNumber(value, "%.4f");
    }

    static LogNumber seconds(double value) {
        return new LogNumber(value, "%.3f");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, pattern, value);
    }
}
