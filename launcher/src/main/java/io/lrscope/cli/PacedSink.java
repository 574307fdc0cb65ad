package io.lrscope.cli;

import io.lrscope.agent.SweepSink;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEvent;
import java.time.Duration;

/**
 * Slows a sweep down to a pace a person can watch: after each published step it waits. The
 * training and the numbers are unchanged; only wall time grows. Used by the interactive demo,
 * where the digits MLP would otherwise finish 100 steps in under a second. It does not flush:
 * the {@link io.lrscope.agent.SweepPublisher} behind it sends a waiting step within its record
 * delay, so steps still appear live while several share a record.
 */
final class PacedSink implements SweepSink {

    private final SweepSink delegate;
    private final long pauseMillis;

    PacedSink(SweepSink delegate, Duration pause) {
        this.delegate = delegate;
        this.pauseMillis = pause.toMillis();
    }

    @Override
    public void publish(SweepEvent event) {
        delegate.publish(event);
        if (event instanceof StepObserved && pauseMillis > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
