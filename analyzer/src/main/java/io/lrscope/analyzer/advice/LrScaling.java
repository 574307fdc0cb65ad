package io.lrscope.analyzer.advice;

import java.util.Locale;

/**
 * Carrying an LR to another effective batch: multiply the batch by k, multiply the LR by k
 * (linear rule, usual for SGD) or by √k (square-root rule, usual for Adam-type optimizers).
 * Both are rules of thumb; a short confirm run at the new batch is the real check.
 */
public final class LrScaling {

    /** Which scaling rule to apply. */
    public enum Rule {
        LINEAR,
        SQRT;

        public static Rule parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(
                        "rule=" + text + ": must be linear or sqrt", e);
            }
        }
    }

    private LrScaling() {}

    public static double scale(double lr, long fromBatch, long toBatch, Rule rule) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr=" + lr + ": must be a finite number > 0");
        }
        if (fromBatch <= 0) {
            throw new IllegalArgumentException("fromBatch=" + fromBatch + ": must be > 0");
        }
        if (toBatch <= 0) {
            throw new IllegalArgumentException("toBatch=" + toBatch + ": must be > 0");
        }
        double k = (double) toBatch / fromBatch;
        return rule == Rule.LINEAR ? lr * k : lr * Math.sqrt(k);
    }
}
