package io.lrscope.dashboard.state;

import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * All sweeps the dashboard has seen, in the order they first appeared, rebuilt from the
 * sweep-events and recommendations topics read from the beginning. A dashboard restarted in
 * the middle of a sweep therefore shows the whole curve, not just what came after it started.
 *
 * <p>The clock is injected so "stale" is tested without sleeping. Not thread-safe: the
 * dashboard applies records and serves requests on one event loop.
 */
public final class SweepBoard {

    private final Clock clock;
    private final long staleAfterMillis;
    private final CurveAnalyzer analyzer;
    private final Map<String, SweepView> sweeps = new LinkedHashMap<>();

    public SweepBoard(Clock clock, Duration staleAfter, CurveAnalyzer analyzer) {
        this.clock = clock;
        this.staleAfterMillis = staleAfter.toMillis();
        this.analyzer = analyzer;
    }

    public CurveAnalyzer analyzer() {
        return analyzer;
    }

    public long nowMillis() {
        return clock.millis();
    }

    public long staleAfterMillis() {
        return staleAfterMillis;
    }

    /**
     * Applies one validated sweep event; returns the points it completed (several for a
     * StepsObserved), in order. Confirm runs' events go to the sweep's {@link ConfirmRunsView};
     * event types this board does not draw are ignored.
     */
    public List<PlotPoint> applyAll(SweepEvent event) {
        if (event instanceof StepsObserved batch) {
            return sweeps.computeIfAbsent(event.sweepId(), SweepView::new)
                    .observed(batch, clock.millis());
        }
        PlotPoint point = apply(event);
        return point == null ? List.of() : List.of(point);
    }

    /**
     * As {@link #applyAll}, returning only the last point completed, or null. Confirm runs'
     * events go to the sweep's {@link ConfirmRunsView}; event types this board does not draw
     * are ignored.
     */
    public PlotPoint apply(SweepEvent event) {
        SweepView view = sweeps.computeIfAbsent(event.sweepId(), SweepView::new);
        long now = clock.millis();
        if (event instanceof StepsObserved batch) {
            List<PlotPoint> points = view.observed(batch, now);
            return points.isEmpty() ? null : points.get(points.size() - 1);
        }
        if (event instanceof SweepStarted started) {
            view.started(started, now);
            return null;
        }
        if (event instanceof StepObserved step) {
            return view.observed(step, now);
        }
        if (event instanceof ConfirmEvent confirm) {
            view.confirmed(confirm, now);
        } else if (event instanceof SweepEnded ended) {
            view.ended(ended, now);
        }
        return null;
    }

    /** Applies a recommendation; returns false when it was older than the one held. */
    public boolean apply(Recommendation recommendation) {
        return sweeps.computeIfAbsent(recommendation.sweepId(), SweepView::new)
                .recommended(recommendation);
    }

    public Optional<SweepView> sweep(String sweepId) {
        return Optional.ofNullable(sweeps.get(sweepId));
    }

    public Collection<SweepView> sweeps() {
        return Collections.unmodifiableCollection(sweeps.values());
    }

    /** Points plotted over all sweeps. */
    public long pointCount() {
        return sweeps().stream().mapToLong(v -> v.points().size()).sum();
    }

    public int size() {
        return sweeps.size();
    }

    public SweepSummary summary(SweepView view) {
        return view.summary(clock.millis(), staleAfterMillis);
    }

    public SweepStatus status(SweepView view) {
        return view.status(clock.millis(), staleAfterMillis);
    }

    public List<SweepSummary> summaries() {
        long now = clock.millis();
        return sweeps.values().stream()
                .map(v -> v.summary(now, staleAfterMillis))
                .collect(Collectors.toList());
    }

    public List<Recommendation> recommendations() {
        return sweeps.values().stream()
                .map(SweepView::recommendation)
                .filter(r -> r != null)
                .collect(Collectors.toList());
    }
}
