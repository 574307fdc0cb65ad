package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.advice.RecommendationFactory;
import io.lrscope.analyzer.confirm.ConfirmRuns;
import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Everything the analyzer keeps about one sweep between records: its config, its raw curve, and
 * what has been sent for it (stop command, final recommendation). Stored per sweep id across the
 * {@code sweep-state} and {@code sweep-points} stores ({@link SweepStore}), whose changelogs let
 * a restarted analyzer continue where it was.
 */
public final class SweepState {

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
    /** The pick and steepest LR last sent (NaN: none), see {@link EmitPolicy}. */
    double lastEmittedPickLr = Double.NaN;
    double lastEmittedSteepestLr = Double.NaN;
    /** The confirm runs' starts and ends (their steps are not kept), see {@link ConfirmRuns}. */
    ConfirmRuns confirmRuns = new ConfirmRuns();
    /** Whether a recommendation carrying the confirmation was sent. */
    boolean confirmationSent;
    /** The config as JSON, encoded once for the header's many writes; not stored apart. */
    private byte[] configJson;
    /** Wall-clock time of the last recommendation sent; not stored (a restart may send one). */
    long lastEmittedMillis;
    /** The latest analysis, to reuse while nothing it depends on moved; not stored. */
    CurveAnalysis lastAnalysis;

    /**
     * Folds one event into the state: the config from the first SweepStarted, a step into the
     * curve (a step after a stale timeout re-opens the sweep), the steps of a StepsObserved one
     * by one in list order, a rank's end.
     */
    public void apply(SweepEvent event, long nowMillis) {
        lastEventMillis = nowMillis;
        if (event instanceof SweepStarted started) {
            if (config == null) {
                config = started.config();
            }
        } else if (event instanceof StepObserved step) {
            addStep(step.rank(), step.step(), step.lr(), step.loss());
        } else if (event instanceof StepsObserved batch) {
            for (StepsObserved.Step step : batch.steps()) {
                addStep(batch.rank(), step.step(), step.lr(), step.loss());
            }
        } else if (event instanceof ConfirmEvent confirm) {
            confirmRuns.apply(confirm);
        } else if (event instanceof SweepEnded ended) {
            endedRanks.add(ended.rank());
            if (endedBy == null || endedBy.startsWith("stale")) {
                endedBy = describe(ended);
            }
        }
    }

    /** Adds one step to the curve; returns false for a duplicate, which changes no point. */
    boolean addStep(int rank, long step, double lr, double loss) {
        boolean kept = curve.add(rank, step, lr, loss);
        if (endedBy != null && endedBy.startsWith("stale")) {
            endedBy = null;
            finalSent = false;
        }
        return kept;
    }

    byte[] configJson() {
        if (configJson == null && config != null) {
            configJson = EventJson.encode(config);
        }
        return configJson;
    }

    /**
     * The recommendation this state gives for {@code analysis}: final, with why it ended, once
     * every rank ended or the sweep went stale; running otherwise. The processor and the replay
     * audit both call this, so they agree on status and ending.
     */
    public Recommendation recommend(String sweepId, RecommendationFactory factory,
            CurveAnalysis analysis, long nowMillis) {
        boolean isFinal = isFinal();
        return factory.build(sweepId,
                isFinal ? Recommendation.FINAL : Recommendation.RUNNING,
                analysis, config, plannedSteps(), isFinal ? endedBy : null, curve.lastStep(),
                nowMillis);
    }

    public SweepConfig config() {
        return config;
    }

    public ConfirmRuns confirmRuns() {
        return confirmRuns;
    }

    public SweepCurve curve() {
        return curve;
    }

    public String endedBy() {
        return endedBy;
    }

    private static String describe(SweepEnded ended) {
        String outcome = ended.outcome().name().toLowerCase(Locale.ROOT);
        return ended.reason() == null || ended.reason().isBlank()
                ? outcome : outcome + ": " + ended.reason();
    }

    public Integer plannedSteps() {
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

    public boolean isFinal() {
        return endedBy != null && (allRanksEnded() || endedBy.startsWith("stale"));
    }
}
