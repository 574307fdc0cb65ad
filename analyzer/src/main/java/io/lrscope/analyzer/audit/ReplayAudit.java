package io.lrscope.analyzer.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.advice.RecommendationFactory;
import io.lrscope.analyzer.confirm.ConfirmRanking;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.topology.SweepState;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Re-derives recommendations from a sweep's events with the analyzer's own code and compares
 * them with what was published. Pure: the caller reads the topics and hands over the events in
 * topic order and the latest published recommendation per sweep.
 *
 * <p>The re-derivation uses the analysis parameters recorded in the published recommendation
 * (β, fast β, divergence factor, minimum descent), so a replay with other defaults still
 * audits what the analyzer actually did. {@code updatedMillis} is never compared.
 */
public final class ReplayAudit {

    /** Fields that describe when a record was written, not what it says. */
    private static final List<String> IGNORED = List.of("updatedMillis");

    private final CurveSettings fallbackSettings;
    private final AdviceSettings adviceSettings;

    public ReplayAudit(CurveSettings fallbackSettings, AdviceSettings adviceSettings) {
        this.fallbackSettings = fallbackSettings;
        this.adviceSettings = adviceSettings;
    }

    /** The audit of one sweep. */
    public record SweepDiff(
            String sweepId,
            boolean identical,
            List<String> fields,
            Long fromStep,
            Recommendation published,
            Recommendation replayed) {}

    /** Compares one sweep; {@code published} may be null (nothing was published for it). */
    public SweepDiff audit(String sweepId, List<SweepEvent> batched, Recommendation published) {
        List<SweepEvent> events = oneStepPerEvent(batched);
        CurveSettings settings = settingsOf(published);
        Recommendation replayed = derive(sweepId, events, settings, events.size());
        if (published == null) {
            return new SweepDiff(sweepId, false, List.of("(not published)"), null, null,
                    replayed);
        }
        List<String> fields = differences(published, replayed);
        if (fields.isEmpty()) {
            return new SweepDiff(sweepId, true, List.of(), null, published, replayed);
        }
        return new SweepDiff(sweepId, false, fields,
                firstDifferingStep(sweepId, events, settings, published), published, replayed);
    }

    /** StepsObserved records as the StepObserved events they stand for, in list order. */
    private static List<SweepEvent> oneStepPerEvent(List<SweepEvent> events) {
        List<SweepEvent> steps = new ArrayList<>(events.size());
        for (SweepEvent event : events) {
            if (event instanceof StepsObserved batch) {
                for (StepsObserved.Step s : batch.steps()) {
                    steps.add(new StepObserved(batch.schemaVersion(), batch.sweepId(),
                            batch.rank(), s.step(), s.lr(), s.loss(), batch.wallMillis()));
                }
            } else {
                steps.add(event);
            }
        }
        return steps;
    }

    /** The recommendation the analyzer makes after the first {@code count} events. */
    private Recommendation derive(
            String sweepId, List<SweepEvent> events, CurveSettings settings, int count) {
        SweepState state = new SweepState();
        for (SweepEvent event : events.subList(0, count)) {
            state.apply(event, 0L);
        }
        Recommendation derived = state.recommend(sweepId,
                new RecommendationFactory(settings, adviceSettings),
                new CurveAnalyzer(settings).analyze(state.curve(), state.plannedSteps()), 0L);
        return ConfirmRanking.confirm(derived, state.confirmRuns(), adviceSettings, 0L);
    }

    /**
     * The step from which the published record no longer matches the events: after the longest
     * prefix of events whose re-derived picks equal the published ones, the next step.
     */
    private Long firstDifferingStep(String sweepId, List<SweepEvent> events,
            CurveSettings settings, Recommendation published) {
        Long lastMatching = null;
        boolean anyMatch = false;
        for (int i = 1; i <= events.size(); i++) {
            if (!(events.get(i - 1) instanceof StepObserved)) {
                continue;
            }
            Recommendation prefix = derive(sweepId, events, settings, i);
            if (samePicks(prefix, published)) {
                anyMatch = true;
                lastMatching = ((StepObserved) events.get(i - 1)).step();
            }
        }
        TreeSet<Long> steps = new TreeSet<>();
        for (SweepEvent e : events) {
            if (e instanceof StepObserved s) {
                steps.add(s.step());
            }
        }
        if (!anyMatch) {
            return steps.isEmpty() ? null : steps.first();
        }
        Long next = steps.higher(lastMatching);
        return next == null ? lastMatching : next;
    }

    private static boolean samePicks(Recommendation a, Recommendation b) {
        return Objects.equals(a.verdict(), b.verdict())
                && Objects.equals(a.pointsUsed(), b.pointsUsed())
                && Objects.equals(a.minLossLr(), b.minLossLr())
                && Objects.equals(a.pickLr(), b.pickLr())
                && Objects.equals(a.steepestLr(), b.steepestLr())
                && Objects.equals(a.divergedAtStep(), b.divergedAtStep());
    }

    /** Top-level JSON fields whose values differ, in the record's field order. */
    public static List<String> differences(Recommendation a, Recommendation b) {
        ObjectNode left = (ObjectNode) EventJson.MAPPER.valueToTree(a);
        ObjectNode right = (ObjectNode) EventJson.MAPPER.valueToTree(b);
        Map<String, Boolean> names = new LinkedHashMap<>();
        left.fieldNames().forEachRemaining(n -> names.put(n, true));
        right.fieldNames().forEachRemaining(n -> names.put(n, true));
        List<String> differing = new ArrayList<>();
        for (Iterator<String> it = names.keySet().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (IGNORED.contains(name)) {
                continue;
            }
            JsonNode l = left.get(name);
            JsonNode r = right.get(name);
            if (!Objects.equals(l, r)) {
                differing.add(name);
            }
        }
        return differing;
    }

    private CurveSettings settingsOf(Recommendation published) {
        if (published == null || published.params() == null) {
            return fallbackSettings;
        }
        Recommendation.AnalysisParams p = published.params();
        return new CurveSettings(p.beta(), p.betaFast(), p.divergenceFactor(),
                p.minDescentFraction(), p.burnInFraction());
    }
}
