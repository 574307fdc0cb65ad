package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.advice.RecommendationFactory;
import io.lrscope.analyzer.confirm.ConfirmRanking;
import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each sweep's curve and emits its recommendation as points arrive: running while the
 * sweep goes on, final when every rank sent SweepEnded, or when the sweep has been silent longer
 * than the stale timeout (checked on wall-clock time, so the last sweep of the day still gets its
 * final answer without waiting for anyone else's records).
 *
 * <p>The curves of the sweeps still running are held in memory, one per sweep, and rebuilt from
 * the stores when a task is (re)assigned; a sweep whose final was sent leaves memory, so the heap
 * holds the running sweeps only. Each new point is written to the stores as one small entry
 * per record ({@link SweepStore}); a record that changes no point (a duplicate) is not
 * re-analysed. A StepsObserved is analysed once, after all its steps.
 *
 * <p>Running recommendations are sent when they change materially ({@link EmitPolicy}), not on
 * every step: the curve itself reaches the page from the events topic. On the first divergence
 * one StopSweep goes to the control topic, as soon as the point that shows it arrives.
 */
final class SweepAnalysisProcessor
        extends ContextualProcessor<String, Decoded, String, AnalyzerOutput> {

    private static final Logger log = LoggerFactory.getLogger(SweepAnalysisProcessor.class);

    private final String stateStoreName;
    private final String pointsStoreName;
    private final CurveAnalyzer analyzer;
    private final RecommendationFactory factory;
    private final Duration staleAfter;
    private final AdviceSettings adviceSettings;
    private SweepStore store;
    /** The sweeps of this task whose final has not been sent, with their curves. */
    private final Map<String, SweepState> running = new HashMap<>();
    private String taskId;

    SweepAnalysisProcessor(
            String stateStoreName,
            String pointsStoreName,
            CurveAnalyzer analyzer,
            RecommendationFactory factory,
            AdviceSettings adviceSettings,
            Duration staleAfter) {
        this.stateStoreName = stateStoreName;
        this.pointsStoreName = pointsStoreName;
        this.analyzer = analyzer;
        this.factory = factory;
        this.adviceSettings = adviceSettings;
        this.staleAfter = staleAfter;
    }

    @Override
    public void init(ProcessorContext<String, AnalyzerOutput> context) {
        super.init(context);
        taskId = context.taskId().toString();
        AnalyzerMetrics.trackRunning(taskId, running);
        KeyValueStore<String, SweepState> headers = context.getStateStore(stateStoreName);
        KeyValueStore<Bytes, byte[]> points = context.getStateStore(pointsStoreName);
        store = new SweepStore(headers, points);
        // A restarted sweep gets a whole stale timeout from now: its last event time before the
        // restart is not kept per step.
        long now = context.currentSystemTimeMs();
        running.clear();
        store.forEachRunning((sweepId, state) -> {
            state.lastEventMillis = now;
            running.put(sweepId, state);
        });
        if (!running.isEmpty()) {
            log.info("analyzer task={} resumed runningSweeps={}", context.taskId(), running.size());
        }
        Duration every = staleAfter.compareTo(Duration.ofSeconds(5)) < 0
                ? staleAfter : Duration.ofSeconds(1);
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::maybeFinalizeStale);
    }

    @Override
    public void process(Record<String, Decoded> record) {
        String sweepId = record.key();
        SweepEvent event = record.value().event();
        if (event instanceof ConfirmStepObserved) {
            return; // a confirm run's steps are for the page; the ranking needs none of them
        }
        SweepState state = running.get(sweepId);
        if (state == null) {
            state = store.load(sweepId);
        }
        if (state == null) {
            state = new SweepState();
        }
        long now = context().currentSystemTimeMs();
        if (event instanceof ConfirmEvent confirm) {
            processConfirm(sweepId, state, confirm, record.timestamp(), now);
            return;
        }
        if (event instanceof SweepStarted started && state.config == null) {
            log.info("sweep={} started model={} optimizer={} effectiveBatch={} steps={}",
                    sweepId, started.config().model(), started.config().optimizer(),
                    started.config().effectiveBatch(), started.config().steps());
        }

        SweepCurve curve = state.curve;
        int duplicates = curve.duplicates();
        int ranks = curve.rankCount();
        Long lrConflictStep = curve.lrConflictStep();
        String endedBy = state.endedBy;
        boolean steps = true;
        int added;
        if (event instanceof StepObserved step) {
            added = addSteps(sweepId, state, step.rank(),
                    List.of(new StepsObserved.Step(step.step(), step.lr(), step.loss())));
        } else if (event instanceof StepsObserved batch) {
            added = addSteps(sweepId, state, batch.rank(), batch.steps());
        } else {
            steps = false;
            added = 0;
            state.apply(event, now);
        }
        state.lastEventMillis = now;

        boolean curveChanged = added > 0
                || !Objects.equals(lrConflictStep, curve.lrConflictStep());
        boolean headerChanged = !steps
                || curve.duplicates() != duplicates
                || curve.rankCount() != ranks
                || !Objects.equals(lrConflictStep, curve.lrConflictStep())
                || !Objects.equals(endedBy, state.endedBy);
        if (curveChanged || !steps) {
            headerChanged |= emit(sweepId, state, record.timestamp(), now);
        }
        if (headerChanged) {
            store.putHeader(sweepId, state);
        }
        if (state.finalSent) {
            running.remove(sweepId);
        } else {
            running.put(sweepId, state);
        }
    }

    /**
     * Adds a record's steps to the curve in order and stores the points it kept (not the
     * duplicates) as one entry; returns how many it kept.
     */
    private int addSteps(
            String sweepId, SweepState state, int rank, List<StepsObserved.Step> steps) {
        ByteBuffer packed = null;
        for (StepsObserved.Step step : steps) {
            if (state.addStep(rank, step.step(), step.lr(), step.loss())) {
                if (packed == null) {
                    packed = ByteBuffer.allocate(24 * steps.size());
                }
                packed.putLong(step.step()).putDouble(state.curve.stepLr(step.step()))
                        .putDouble(step.loss());
            }
        }
        if (packed == null) {
            return 0;
        }
        store.putPoints(sweepId, rank, Arrays.copyOf(packed.array(), packed.position()));
        return packed.position() / 24;
    }

    /**
     * Analyses the sweep and forwards what changed: a stop command, a recommendation. Returns
     * whether anything was sent (and so the header changed).
     */
    private boolean emit(String sweepId, SweepState state, long timestamp, long now) {
        return emit(sweepId, state, timestamp, now, false);
    }

    /**
     * Analyses the sweep and forwards what changed: a stop command, a recommendation.
     *
     * @param flush send a running recommendation even if the rate limit would hold it back
     *     (the punctuator's catch-up for sweeps that went quiet right after a held-back change)
     */
    private boolean emit(String sweepId, SweepState state, long timestamp, long now,
            boolean flush) {
        CurveAnalysis analysis =
                analyzer.analyze(state.curve, state.plannedSteps(), state.lastAnalysis);
        state.lastAnalysis = analysis;
        boolean isFinal = state.isFinal();
        boolean sent = false;

        if (analysis.divergedAtStep() != null && !state.stopSent && state.endedBy == null) {
            state.stopSent = true;
            sent = true;
            String reason = "diverged at step " + analysis.divergedAtStep() + ": "
                    + analysis.divergence();
            log.info("sweep={} diverged step={} reason=\"{}\" action=stop",
                    sweepId, analysis.divergedAtStep(), analysis.divergence());
            context().forward(new Record<>(sweepId, AnalyzerOutput.of(
                    StopSweep.of(sweepId, reason, analysis.divergedAtStep(), now)), timestamp));
            AnalyzerMetrics.STOPS.increment();
        }

        boolean finalDue = isFinal && !state.finalSent;
        if (!finalDue && !flush && !EmitPolicy.changedMaterially(state, analysis, now)) {
            return sent;
        }
        Recommendation recommendation = state.recommend(sweepId, factory, analysis, now);
        if (state.confirmationSent) {
            recommendation = ConfirmRanking.confirm(recommendation, state.confirmRuns,
                    adviceSettings, now);
        }
        EmitPolicy.remember(state, analysis, now);
        if (finalDue) {
            state.finalSent = true;
            log.info("sweep={} final verdict={} pickLr={} steepestLr={} minLossLr={} "
                            + "divergedAtStep={} pointsUsed={} endedBy=\"{}\"",
                    sweepId, recommendation.verdict(), recommendation.pickLr(),
                    recommendation.steepestLr(), recommendation.minLossLr(),
                    recommendation.divergedAtStep(), recommendation.pointsUsed(),
                    recommendation.endedBy());
        }
        context().forward(new Record<>(sweepId, AnalyzerOutput.of(recommendation), timestamp));
        AnalyzerMetrics.recommendationSent(timestamp, now);
        return true;
    }

    /**
     * Folds a confirm run's start or end in; once every announced run ended, sends the
     * recommendation again with the ranking attached. Confirm records never touch the curve.
     */
    private void processConfirm(String sweepId, SweepState state, ConfirmEvent event,
            long timestamp, long now) {
        if (!state.confirmRuns.apply(event)) {
            return;
        }
        if (!state.confirmationSent && state.confirmRuns.complete()) {
            Recommendation recommendation = ConfirmRanking.confirm(
                    state.recommend(sweepId, factory,
                            analyzer.analyze(state.curve, state.plannedSteps()), now),
                    state.confirmRuns, adviceSettings, now);
            state.confirmationSent = true;
            Recommendation.Confirmation c = recommendation.confirmation();
            log.info("sweep={} confirmation verdict={} confirmedLr={} pickLr={} atEdge={}",
                    sweepId, c.verdict(), c.confirmedLr(), c.pickLr(), c.atEdge());
            context().forward(new Record<>(sweepId, AnalyzerOutput.of(recommendation),
                    timestamp));
            AnalyzerMetrics.recommendationSent(timestamp, now);
        }
        store.putHeader(sweepId, state);
        if (!state.finalSent) {
            running.put(sweepId, state);
        }
    }

    private void maybeFinalizeStale(long now) {
        List<String> stale = new ArrayList<>();
        running.forEach((sweepId, state) -> {
            if (now - state.lastEventMillis >= staleAfter.toMillis()) {
                stale.add(sweepId);
            }
        });
        for (String sweepId : stale) {
            SweepState state = running.remove(sweepId);
            if (state.finalSent) {
                continue;
            }
            state.endedBy = "stale: no event for " + staleAfter.toSeconds()
                    + " s; the agent may have died";
            log.warn("sweep={} stale silentMillis={}: finalising with the points received; "
                    + "check the agent", sweepId, now - state.lastEventMillis);
            emit(sweepId, state, now, now);
            store.putHeader(sweepId, state);
        }
        flushHeldBack(now);
    }

    /**
     * Sends the latest running recommendation of sweeps whose newest points were held back by
     * the rate limit and that have been quiet since, so a subscriber never waits for the next
     * event to see the curve it already has.
     */
    private void flushHeldBack(long now) {
        running.forEach((sweepId, state) -> {
            if (!state.finalSent
                    && EmitPolicy.heldBack(state, now)
                    && emit(sweepId, state, now, now, true)) {
                store.putHeader(sweepId, state);
            }
        });
    }

    @Override
    public void close() {
        AnalyzerMetrics.untrackRunning(taskId);
        running.clear();
    }
}
