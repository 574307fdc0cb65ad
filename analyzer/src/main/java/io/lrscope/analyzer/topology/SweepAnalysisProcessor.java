package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.advice.RecommendationFactory;
import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each sweep's curve and emits its recommendation as points arrive: running while the
 * sweep goes on, final when every rank sent SweepEnded, or when the sweep has been silent longer
 * than the stale timeout (checked on wall-clock time, so the last sweep of the day still gets its
 * final answer without waiting for anyone else's records).
 *
 * <p>Running recommendations are sent when the answer changes or every
 * {@link #EMIT_EVERY_POINTS} points, not on every step: the curve itself reaches the page from
 * the events topic. On the first divergence one StopSweep goes to the control topic.
 */
final class SweepAnalysisProcessor
        extends ContextualProcessor<String, Decoded, String, AnalyzerOutput> {

    static final int EMIT_EVERY_POINTS = 10;

    private static final Logger log = LoggerFactory.getLogger(SweepAnalysisProcessor.class);

    private final String storeName;
    private final CurveAnalyzer analyzer;
    private final RecommendationFactory factory;
    private final Duration staleAfter;
    private KeyValueStore<String, SweepState> store;
    /** Last event time of the sweeps not yet final, so the stale check does not scan them all. */
    private final Map<String, Long> running = new HashMap<>();

    SweepAnalysisProcessor(
            String storeName,
            CurveAnalyzer analyzer,
            RecommendationFactory factory,
            Duration staleAfter) {
        this.storeName = storeName;
        this.analyzer = analyzer;
        this.factory = factory;
        this.staleAfter = staleAfter;
    }

    @Override
    public void init(ProcessorContext<String, AnalyzerOutput> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, SweepState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, SweepState> entry = all.next();
                if (!entry.value.finalSent) {
                    running.put(entry.key, entry.value.lastEventMillis);
                }
            }
        }
        Duration every = staleAfter.compareTo(Duration.ofSeconds(5)) < 0
                ? staleAfter : Duration.ofSeconds(1);
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::maybeFinalizeStale);
    }

    @Override
    public void process(Record<String, Decoded> record) {
        String sweepId = record.key();
        SweepEvent event = record.value().event();
        SweepState state = store.get(sweepId);
        if (state == null) {
            state = new SweepState();
        }
        long now = context().currentSystemTimeMs();
        if (event instanceof SweepStarted started && state.config == null) {
            log.info("sweep={} started model={} optimizer={} effectiveBatch={} steps={}",
                    sweepId, started.config().model(), started.config().optimizer(),
                    started.config().effectiveBatch(), started.config().steps());
        }
        state.apply(event, now);

        emit(sweepId, state, record.timestamp(), now);
        store.put(sweepId, state);
        if (state.finalSent) {
            running.remove(sweepId);
        } else {
            running.put(sweepId, now);
        }
    }

    /** Analyses the sweep and forwards what changed: a stop command, a recommendation. */
    private void emit(String sweepId, SweepState state, long timestamp, long now) {
        CurveAnalysis analysis = analyzer.analyze(state.curve, state.plannedSteps());
        boolean isFinal = state.isFinal();

        if (analysis.divergedAtStep() != null && !state.stopSent && state.endedBy == null) {
            state.stopSent = true;
            String reason = "diverged at step " + analysis.divergedAtStep() + ": "
                    + analysis.divergence();
            log.info("sweep={} diverged step={} reason=\"{}\" action=stop",
                    sweepId, analysis.divergedAtStep(), analysis.divergence());
            context().forward(new Record<>(sweepId, AnalyzerOutput.of(
                    StopSweep.of(sweepId, reason, analysis.divergedAtStep(), now)), timestamp));
        }

        String signature = signature(analysis);
        int points = analysis.points().size();
        boolean changed = !signature.equals(state.lastEmittedSignature)
                || state.lastEmittedPoints < 0
                || points - state.lastEmittedPoints >= EMIT_EVERY_POINTS;
        if (!(isFinal && !state.finalSent) && !changed) {
            return;
        }
        Recommendation recommendation = factory.build(
                sweepId,
                isFinal ? Recommendation.FINAL : Recommendation.RUNNING,
                analysis,
                state.config,
                state.plannedSteps(),
                isFinal ? state.endedBy : null,
                state.curve.lastStep(),
                now);
        state.lastEmittedSignature = signature;
        state.lastEmittedPoints = points;
        if (isFinal && !state.finalSent) {
            state.finalSent = true;
            log.info("sweep={} final verdict={} pickLr={} steepestLr={} minLossLr={} "
                            + "divergedAtStep={} pointsUsed={} endedBy=\"{}\"",
                    sweepId, recommendation.verdict(), recommendation.pickLr(),
                    recommendation.steepestLr(), recommendation.minLossLr(),
                    recommendation.divergedAtStep(), recommendation.pointsUsed(),
                    recommendation.endedBy());
        }
        context().forward(new Record<>(sweepId, AnalyzerOutput.of(recommendation), timestamp));
    }

    private void maybeFinalizeStale(long now) {
        Iterator<Map.Entry<String, Long>> it = running.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> entry = it.next();
            if (now - entry.getValue() < staleAfter.toMillis()) {
                continue;
            }
            it.remove();
            SweepState state = store.get(entry.getKey());
            if (state == null || state.finalSent) {
                continue;
            }
            state.endedBy = "stale: no event for " + staleAfter.toSeconds()
                    + " s; the agent may have died";
            log.warn("sweep={} stale silentMillis={}: finalising with the points received; "
                    + "check the agent", entry.getKey(), now - entry.getValue());
            emit(entry.getKey(), state, now, now);
            store.put(entry.getKey(), state);
        }
    }

    private static String signature(CurveAnalysis a) {
        return a.verdict() + "|" + a.minLossLr() + "|" + a.pickLr() + "|" + a.steepestLr()
                + "|" + a.divergedAtStep() + "|" + Objects.hashCode(a.reason());
    }
}
