package io.lrscope.agent;

import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps published events in memory, in order; every event must pass its own validation. */
final class RecordingSink implements SweepSink {

    final List<SweepEvent> events = new CopyOnWriteArrayList<>();
    volatile int flushes;
    volatile boolean closed;

    @Override
    public void publish(SweepEvent event) {
        event.validate();
        events.add(event);
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }

    List<StepObserved> steps() {
        return events.stream()
                .filter(StepObserved.class::isInstance)
                .map(StepObserved.class::cast)
                .toList();
    }
}
