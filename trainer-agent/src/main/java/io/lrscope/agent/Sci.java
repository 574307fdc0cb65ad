package io.lrscope.agent;

import java.util.Locale;

/** A number that logs as {@code 3.16e-04}, formatted only if the log line is written. */
record Sci(double value) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
