package io.lrscope.analyzer.curve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SweepCurveTest {

    /** A curve rebuilt from scratch out of the same records: what the answer must be. */
    private static List<CurvePoint> rebuilt(SweepCurve curve) {
        return SweepCurve.restore(curve.rows(), curve.duplicates(), curve.lrConflictStep(),
                curve.ranksSeen()).completePoints();
    }

    @Test
    void completePointsMatchAFullRebuildAfterEveryRecord() {
        // ranks joining late, steps out of order, gaps filled later, duplicates
        Random random = new Random(7);
        SweepCurve curve = new SweepCurve();
        List<long[]> records = new ArrayList<>();
        for (long step = 0; step < 120; step++) {
            for (int rank = 0; rank < 3; rank++) {
                records.add(new long[] {rank, step});
            }
        }
        for (int i = 0; i < records.size(); i++) {
            int j = Math.min(records.size() - 1, i + random.nextInt(6));
            long[] swap = records.get(i);
            records.set(i, records.get(j));
            records.set(j, swap);
        }
        for (long[] record : records) {
            int rank = (int) record[0];
            long step = record[1];
            double lr = 1e-6 * Math.pow(1.1, step);
            curve.add(rank, step, lr, 2.0 - step * 0.01 + rank * 0.001 + random.nextGaussian());
            if (random.nextInt(10) == 0) {
                curve.add(rank, step, lr, 99.0);
            }

            assertThat(curve.completePoints()).isEqualTo(rebuilt(curve));
        }
        assertThat(curve.completePoints()).hasSize(120);
        assertThat(curve.observations()).isEqualTo(360);
    }

    @Test
    void completePointsIsACopyTheCallerMayChange() {
        SweepCurve curve = new SweepCurve();
        curve.add(0, 0, 1e-6, 2.0);
        List<CurvePoint> first = curve.completePoints();
        first.clear();

        curve.add(0, 1, 2e-6, 1.9);

        assertThat(curve.completePoints()).extracting(CurvePoint::step).containsExactly(0L, 1L);
    }

    @Test
    void keepsTheFirstLrOfAStepForEveryRank() {
        SweepCurve curve = new SweepCurve();
        curve.add(0, 5, 1e-3, 2.0);
        curve.add(1, 5, 1e-3 * (1 + 1e-12), 2.2);

        assertThat(curve.stepLr(5)).isEqualTo(1e-3);
        assertThat(curve.completePoints()).singleElement()
                .satisfies(p -> assertThat(p.loss()).isEqualTo(2.1));
    }
}
