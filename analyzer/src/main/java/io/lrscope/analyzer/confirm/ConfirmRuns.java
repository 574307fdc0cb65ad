package io.lrscope.analyzer.confirm;

import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.ConfirmStarted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analyzer keeps of one sweep's confirm runs: each run's start and end, by run id, in
 * the order the runs started. Per-step records are not needed for the ranking and are ignored;
 * so the state stays a few hundred bytes however long the runs train.
 *
 * <p>The first {@code ConfirmStarted} and the first {@code ConfirmEnded} of a run win, as the
 * first record of a step does for the curve, so a re-sent record changes nothing. A
 * confirmation is {@link #complete()} once as many runs as the starts announced have ended.
 */
public final class ConfirmRuns {

    private final Map<String, ConfirmStarted> started = new LinkedHashMap<>();
    private final Map<String, ConfirmEnded> ended = new LinkedHashMap<>();

    /** Rebuilds the state from its records, e.g. after reading them back from a store. */
    public static ConfirmRuns of(List<ConfirmStarted> starts, List<ConfirmEnded> ends) {
        ConfirmRuns runs = new ConfirmRuns();
        starts.forEach(runs::apply);
        ends.forEach(runs::apply);
        return runs;
    }

    /** Folds one confirm record in; returns whether it changed anything (steps, repeats don't). */
    public boolean apply(ConfirmEvent event) {
        if (event instanceof ConfirmStarted start) {
            return started.putIfAbsent(start.runId(), start) == null;
        }
        if (event instanceof ConfirmEnded end) {
            return ended.putIfAbsent(end.runId(), end) == null;
        }
        return false;
    }

    /** Every announced run started and ended. */
    public boolean complete() {
        if (started.isEmpty()) {
            return false;
        }
        int announced = started.values().stream().mapToInt(ConfirmStarted::runs).max()
                .orElse(0);
        return started.size() >= announced && ended.keySet().containsAll(started.keySet());
    }

    public boolean isEmpty() {
        return started.isEmpty() && ended.isEmpty();
    }

    public List<ConfirmStarted> starts() {
        return new ArrayList<>(started.values());
    }

    public List<ConfirmEnded> ends() {
        return new ArrayList<>(ended.values());
    }

    ConfirmEnded endOf(String runId) {
        return ended.get(runId);
    }
}
