package io.lrscope.agent;

import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEvent;
import java.util.ArrayList;
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

    /** Every step, from StepObserved and StepsObserved records alike, in record order. */
    List<StepObserved> allSteps() {
        return expand(events);
    }

    /** The steps the records stand for, as one StepObserved each, in order. */
    static List<StepObserved> expand(List<SweepEvent> records) {
        List<StepObserved> steps = new ArrayList<>();
        for (SweepEvent event : records) {
            if (event instanceof StepObserved step) {
                steps.add(step);
            } else if (event instanceof StepsObserved batch) {
                for (StepsObserved.Step s : batch.steps()) {
                    steps.add(StepObserved.of(batch.sweepId(), batch.rank(), s.step(), s.lr(),
                            s.loss(), batch.wallMillis()));
                }
            }
        }
        return steps;
    }
}
