package io.lrscope.events;

/**
 * A record of a confirm run: a short warmup + cosine training at a multiple of a sweep's pick
 * that checks the recommendation. Confirm runs travel on the sweep-events topic keyed by the
 * sweep id, so they stay in order behind the sweep they check; they are not points of the
 * sweep's curve, and a reader that folds the curve must skip them.
 */
public sealed interface ConfirmEvent extends SweepEvent
        permits ConfirmStarted, ConfirmStepObserved, ConfirmEnded {

    /** Names one confirm run of the sweep, e.g. {@code x1}; unique within the sweep. */
    String runId();
}
