package io.lrscope.analyzer.curve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The raw observations of one sweep, as they arrive: any order, several ranks, duplicates.
 *
 * <p>The first record for a (rank, step) wins; later copies are counted and ignored, so a
 * re-delivered or micro-batch record never adds a point. A copy or another rank that disagrees
 * on the step's LR is remembered as an inconsistency: the step's update cannot have used two LRs.
 */
public final class SweepCurve {

    private static final double SAME_LR_TOLERANCE = 1e-9;

    private final NavigableMap<Long, StepRecord> steps = new TreeMap<>();
    private final TreeSet<Integer> ranks = new TreeSet<>();
    private int duplicates;
    private int observations;
    private Long lrConflictStep;
    /**
     * {@link #completePoints()} as of now, or null when it must be rebuilt. Steps usually arrive
     * in order, so a step that completes after the last complete one is appended; anything else
     * (a new rank, a gap filled) drops it.
     */
    private List<CurvePoint> complete = new ArrayList<>();

    /** What one step holds: the lr and each rank's loss, in rank order. */
    private static final class StepRecord {
        final double lr;
        final TreeMap<Integer, Double> lossByRank = new TreeMap<>();

        StepRecord(double lr) {
            this.lr = lr;
        }
    }

    /**
     * Adds one observation; returns false when it was a duplicate and so ignored.
     *
     * @throws IllegalArgumentException for a negative rank or step, or an lr that is not a
     *     finite number > 0 (validation upstream lets none through; this guards the math)
     */
    public boolean add(int rank, long step, double lr, double loss) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank=" + rank + ": must be >= 0");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step=" + step + ": must be >= 0");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr=" + lr + ": must be a finite number > 0");
        }
        boolean newRank = ranks.add(rank);
        StepRecord record = steps.computeIfAbsent(step, s -> new StepRecord(lr));
        if (!sameLr(record.lr, lr)) {
            noteLrConflict(step);
        }
        if (record.lossByRank.containsKey(rank)) {
            duplicates++;
            return false;
        }
        record.lossByRank.put(rank, loss);
        observations++;
        updateComplete(newRank, step, record);
        return true;
    }

    private void updateComplete(boolean newRank, long step, StepRecord record) {
        if (complete == null) {
            return;
        }
        if (newRank) {
            complete = null;
        } else if (record.lossByRank.size() >= ranks.size()) {
            if (complete.isEmpty() || complete.get(complete.size() - 1).step() < step) {
                complete.add(merged(step, record, ranks.size()));
            } else {
                complete = null;
            }
        }
    }

    public int duplicates() {
        return duplicates;
    }

    /** How many (rank, step) records are kept: every record that was not a duplicate. */
    public int observations() {
        return observations;
    }

    /**
     * The lr a step is analysed with: the first one recorded for it (a later record of the same
     * step within tolerance, or in conflict, does not replace it).
     *
     * @throws IllegalArgumentException when the step has no record
     */
    public double stepLr(long step) {
        StepRecord record = steps.get(step);
        if (record == null) {
            throw new IllegalArgumentException("step=" + step + ": not in this curve");
        }
        return record.lr;
    }

    public int rankCount() {
        return ranks.size();
    }

    public int distinctSteps() {
        return steps.size();
    }

    public long lastStep() {
        return steps.isEmpty() ? -1 : steps.lastKey();
    }

    /** The first step at which two records disagreed on the lr, or null. */
    public Long lrConflictStep() {
        return lrConflictStep;
    }

    /**
     * The steps every rank seen so far has reported, in step order, each with the mean loss
     * over ranks. Steps that some rank has not reported yet are left out.
     */
    public List<CurvePoint> completePoints() {
        return new ArrayList<>(complete());
    }

    /** How many steps are complete, without copying them. */
    public int completeCount() {
        return complete().size();
    }

    private List<CurvePoint> complete() {
        if (complete == null) {
            int rankCount = ranks.size();
            List<CurvePoint> points = new ArrayList<>(steps.size());
            for (Map.Entry<Long, StepRecord> entry : steps.entrySet()) {
                StepRecord record = entry.getValue();
                if (record.lossByRank.size() >= rankCount) {
                    points.add(merged(entry.getKey(), record, rankCount));
                }
            }
            complete = points;
        }
        return complete;
    }

    /** A complete step: its lr and the mean of its ranks' losses, summed in rank order. */
    private static CurvePoint merged(long step, StepRecord record, int rankCount) {
        double sum = 0;
        for (double loss : record.lossByRank.values()) {
            sum += loss;
        }
        return new CurvePoint(step, record.lr, sum / rankCount);
    }

    /** Every stored observation as {rank, step, lr, loss} rows, for state stores and replays. */
    public List<double[]> rows() {
        List<double[]> rows = new ArrayList<>();
        steps.forEach((step, record) -> record.lossByRank.forEach(
                (rank, loss) -> rows.add(new double[] {rank, step, record.lr, loss})));
        return rows;
    }

    /** Rebuilds a curve from stored state; the inverse of {@link #rows()} plus the counters. */
    public static SweepCurve restore(
            List<double[]> rows, int duplicates, Long lrConflictStep, int[] ranksSeen) {
        SweepCurve curve = new SweepCurve();
        for (double[] row : rows) {
            curve.add((int) row[0], (long) row[1], row[2], row[3]);
        }
        Arrays.stream(ranksSeen).forEach(curve.ranks::add);
        curve.complete = null;
        curve.duplicates = duplicates;
        curve.lrConflictStep = lrConflictStep;
        return curve;
    }

    public int[] ranksSeen() {
        return ranks.stream().mapToInt(Integer::intValue).toArray();
    }

    private void noteLrConflict(long step) {
        if (lrConflictStep == null || step < lrConflictStep) {
            lrConflictStep = step;
        }
    }

    private static boolean sameLr(double a, double b) {
        return Math.abs(a - b) <= SAME_LR_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }
}
