package io.lrscope.dashboard.state;

import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.SmoothedPoint;
import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepStarted;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the dashboard knows about one sweep, rebuilt from the topics: its config, the
 * observations (a {@link SweepCurve}, so duplicates count once exactly as in the analyzer), the
 * points in the order they became plottable, the smoothed line, the latest recommendation and
 * the confirm runs that checked its pick.
 *
 * <p>A step becomes a point once every expected rank (the config's dpDegree, or more if more
 * were seen) has reported it; its seq never changes afterwards, which is what lets SSE clients
 * resume by id. The smoothed line comes from {@link CurveAnalyzer}, never from the page.
 * Not thread-safe: only the dashboard's event loop touches it.
 */
public final class SweepView {

    private final String sweepId;
    private long firstSeenMillis = -1;
    private final SweepCurve curve = new SweepCurve();
    private final Map<Long, double[]> pendingSteps = new HashMap<>();
    private final List<PlotPoint> points = new ArrayList<>();
    private final Set<Integer> ranksEnded = new HashSet<>();
    private SweepConfig config;
    private SweepEnded lastEnded;
    private Recommendation recommendation;
    private List<SmoothedPoint> smoothed = List.of();
    private boolean smoothedStale;
    private long lastActivityMillis;
    private int rejectedSteps;
    private final ConfirmRunsView confirmRuns = new ConfirmRunsView();

    SweepView(String sweepId) {
        this.sweepId = sweepId;
    }

    public String sweepId() {
        return sweepId;
    }

    /** The config from SweepStarted, or null while none has been seen. */
    public SweepConfig config() {
        return config;
    }

    public Recommendation recommendation() {
        return recommendation;
    }

    /** Every plotted point in seq order (seq == index). */
    public List<PlotPoint> points() {
        return Collections.unmodifiableList(points);
    }

    /** The points with seq greater than {@code afterSeq}; all of them for a negative value. */
    public List<PlotPoint> pointsAfter(long afterSeq) {
        int from = (int) Math.max(0, Math.min(points.size(), afterSeq + 1));
        return Collections.unmodifiableList(points.subList(from, points.size()));
    }

    /** The seq of the newest point, -1 before the first. */
    public long lastSeq() {
        return points.size() - 1;
    }

    /** The highest step plotted so far, -1 before the first. */
    public long lastStep() {
        return points.isEmpty() ? -1 : curve.lastStep();
    }

    public long lastActivityMillis() {
        return lastActivityMillis;
    }

    public long firstSeenMillis() {
        return firstSeenMillis;
    }

    /** Steps whose lr could not be plotted (not a finite number > 0). */
    public int rejectedSteps() {
        return rejectedSteps;
    }

    /**
     * The smoothed loss of the usable points (after the burn-in, before the divergence), as the
     * analyzer computes it; recomputed only when points arrived since the last call.
     */
    public List<SmoothedPoint> smoothed(CurveAnalyzer analyzer) {
        if (smoothedStale) {
            Integer planned = config == null ? null : config.steps();
            smoothed = analyzer.analyze(curve, planned).smoothed();
            smoothedStale = false;
        }
        return smoothed;
    }

    public boolean smoothedStale() {
        return smoothedStale;
    }

    void started(SweepStarted started, long receivedMillis) {
        if (config == null || started.rank() == 0) {
            config = started.config();
        }
        touch(started.wallMillis(), receivedMillis);
    }

    /** Adds a step observation; returns the point it completed, or null. */
    PlotPoint observed(StepObserved step, long receivedMillis) {
        touch(step.wallMillis(), receivedMillis);
        return observed(step.rank(), step.step(), step.lr(), step.loss());
    }

    /** Adds a record's steps in list order, as if one by one; returns the points completed. */
    List<PlotPoint> observed(StepsObserved batch, long receivedMillis) {
        touch(batch.wallMillis(), receivedMillis);
        List<PlotPoint> completed = new ArrayList<>();
        for (StepsObserved.Step step : batch.steps()) {
            PlotPoint point = observed(batch.rank(), step.step(), step.lr(), step.loss());
            if (point != null) {
                completed.add(point);
            }
        }
        return completed;
    }

    private PlotPoint observed(int rank, long step, double lr, double loss) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            rejectedSteps++;
            return null;
        }
        if (!curve.add(rank, step, lr, loss)) {
            return null;
        }
        smoothedStale = true;
        double[] sumAndCount = pendingSteps.computeIfAbsent(step, s -> new double[2]);
        sumAndCount[0] += loss;
        sumAndCount[1] += 1;
        if (sumAndCount[1] < expectedRanks()) {
            return null;
        }
        pendingSteps.remove(step);
        double meanLoss = sumAndCount[0] / sumAndCount[1];
        PlotPoint point = new PlotPoint(points.size(), step, lr, meanLoss);
        points.add(point);
        return point;
    }

    /** The sweep's confirm runs (empty for a sweep that was not confirmed). */
    public ConfirmRunsView confirmRuns() {
        return confirmRuns;
    }

    /** Adds a confirm run's record; it never becomes a point of the LR-range curve. */
    boolean confirmed(ConfirmEvent event, long receivedMillis) {
        touch(event.wallMillis(), receivedMillis);
        return confirmRuns.apply(event);
    }

    void ended(SweepEnded ended, long receivedMillis) {
        ranksEnded.add(ended.rank());
        lastEnded = ended;
        touch(ended.wallMillis(), receivedMillis);
    }

    /** Returns false when the record is an older copy than the one held. */
    boolean recommended(Recommendation next) {
        if (recommendation != null && next.updatedMillis() < recommendation.updatedMillis()) {
            return false;
        }
        recommendation = next;
        return true;
    }

    /** True once every expected rank has sent SweepEnded. */
    public boolean ended() {
        return lastEnded != null && ranksEnded.size() >= expectedRanks();
    }

    /** The analyzer finalised the sweep after its own silence timeout: the agent went away. */
    private boolean staleByAnalyzer() {
        return recommendation != null && recommendation.isFinal()
                && recommendation.endedBy() != null
                && recommendation.endedBy().startsWith("stale");
    }

    public SweepStatus status(long nowMillis, long staleAfterMillis) {
        if (ended() && lastEnded.outcome() == SweepEnded.Outcome.FAILED) {
            return SweepStatus.FAILED;
        }
        if (recommendation != null && recommendation.divergedAtStep() != null) {
            return SweepStatus.DIVERGED;
        }
        if (ended()) {
            return lastEnded.outcome() == SweepEnded.Outcome.STOPPED
                    ? SweepStatus.STOPPED : SweepStatus.DONE;
        }
        if (staleByAnalyzer() || nowMillis - lastActivityMillis > staleAfterMillis) {
            return SweepStatus.STALE;
        }
        return SweepStatus.RUNNING;
    }

    public SweepSummary summary(long nowMillis, long staleAfterMillis) {
        long lastStep = lastStep();
        Integer planned = config == null ? null : config.steps();
        Double progress = planned == null
                ? null : Math.min(1.0, Math.max(0, lastStep + 1) / (double) planned);
        Recommendation r = recommendation;
        return new SweepSummary(
                sweepId,
                config == null ? null : config.label(),
                config == null ? null : config.model(),
                config == null ? null : config.dataset(),
                config == null ? null : config.optimizer(),
                config == null ? null : config.batchSize(),
                config == null ? null : config.dpDegree(),
                config == null ? null : config.gradAccum(),
                config == null ? null : config.effectiveBatch(),
                planned,
                status(nowMillis, staleAfterMillis).wireName(),
                points.size(),
                lastStep,
                progress,
                r == null ? null : r.pickLr(),
                r == null ? null : r.verdict(),
                lastEnded == null ? null : lastEnded.outcome().name().toLowerCase(Locale.ROOT),
                lastEnded == null ? null : lastEnded.reason(),
                firstSeenMillis,
                lastActivityMillis);
    }

    private int expectedRanks() {
        int planned = config == null ? 1 : config.dpDegree();
        return Math.max(planned, curve.rankCount());
    }

    /**
     * Activity time is the event's own wall clock, but never later than when it arrived: a
     * replayed history then looks as old as it is, and an agent clock running ahead of ours
     * cannot keep a dead sweep looking alive.
     */
    private void touch(long eventWallMillis, long receivedMillis) {
        long at = eventWallMillis > 0 ? Math.min(eventWallMillis, receivedMillis) : receivedMillis;
        lastActivityMillis = Math.max(lastActivityMillis, at);
        if (firstSeenMillis < 0) {
            firstSeenMillis = at;
        }
    }
}
