package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.SweepConfig;
import java.util.TreeSet;

/**
 * Everything the analyzer keeps about one sweep between records: its config, its raw curve, and
 * what has been sent for it (stop command, final recommendation). Stored per sweep id in the
 * {@code sweep-state} store, whose changelog lets a restarted analyzer continue where it was.
 */
final class SweepState {

    SweepConfig config;
    SweepCurve curve = new SweepCurve();
    final TreeSet<Integer> endedRanks = new TreeSet<>();
    /** Why the sweep is over ("completed", "stopped: ...", "stale: ..."), null while running. */
    String endedBy;
    boolean stopSent;
    boolean finalSent;
    long lastEventMillis;
    int lastEmittedPoints = -1;
    String lastEmittedSignature;

    Integer plannedSteps() {
        return config == null ? null : config.steps();
    }

    /** Ranks expected to end: the configured data-parallel degree, or every rank seen. */
    int expectedRanks() {
        int configured = config == null ? 1 : config.dpDegree();
        return Math.max(configured, curve.rankCount());
    }

    boolean allRanksEnded() {
        return !endedRanks.isEmpty() && endedRanks.size() >= expectedRanks();
    }

    boolean isFinal() {
        return endedBy != null && (allRanksEnded() || endedBy.startsWith("stale"));
    }
}
