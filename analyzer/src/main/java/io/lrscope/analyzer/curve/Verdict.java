package io.lrscope.analyzer.curve;

import java.util.Locale;

/** What a curve allows us to say. Only {@link #PICK} and {@link #INCONCLUSIVE} carry LRs. */
public enum Verdict {
    /** A minimum before divergence: the one-decade pick is the recommendation. */
    PICK,
    /** The loss was still falling at the end: picks given, but the end LR should be raised. */
    INCONCLUSIVE,
    /** The smoothed loss never fell enough below its start to choose anything. */
    NO_DESCENT,
    /** Fewer usable points than the analysis needs. */
    INSUFFICIENT_DATA,
    /** The events contradict a range test (lr not rising, two LRs in one step). */
    INVALID_SWEEP;

    /** The lower-case wire name, e.g. {@code no_descent}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean hasPick() {
        return this == PICK || this == INCONCLUSIVE;
    }
}
