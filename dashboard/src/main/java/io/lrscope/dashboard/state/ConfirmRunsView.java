package io.lrscope.dashboard.state;

import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sweep's confirm runs, in the order they first appeared. They come on the sweep's own key,
 * after its steps, and are kept apart from the LR-range curve: their steps are not points of it.
 */
public final class ConfirmRunsView {

    /** Steps kept per run; a confirm run is a few hundred steps, this bounds a hostile one. */
    static final int MAX_STEPS_PER_RUN = 100_000;
    /** Runs kept per sweep. */
    static final int MAX_RUNS = 32;

    private final Map<String, ConfirmRunView> runs = new LinkedHashMap<>();

    /** Applies one confirm event; returns whether anything the page shows changed. */
    boolean apply(ConfirmEvent event) {
        ConfirmRunView run = runs.get(event.runId());
        if (run == null) {
            if (runs.size() >= MAX_RUNS) {
                return false;
            }
            run = new ConfirmRunView(event.runId());
            runs.put(event.runId(), run);
        }
        if (event instanceof ConfirmStarted started) {
            run.started(started);
            return true;
        }
        if (event instanceof ConfirmStepObserved step) {
            return run.points().size() < MAX_STEPS_PER_RUN && run.observed(step);
        }
        run.ended((ConfirmEnded) event);
        return true;
    }

    public Collection<ConfirmRunView> runs() {
        return Collections.unmodifiableCollection(runs.values());
    }

    public boolean isEmpty() {
        return runs.isEmpty();
    }
}
