package io.lrscope.dashboard.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepStarted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepBoardTest {

    static final long T0 = 1_700_000_000_000L;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    final ManualClock clock = new ManualClock();
    final SweepBoard board = new SweepBoard(
            clock, Duration.ofSeconds(30), new CurveAnalyzer(CurveSettings.defaults()));

    static SweepConfig config(int dpDegree, int steps) {
        return new SweepConfig("mlp", "digits", "adamw", 32, dpDegree, 2, "exponential",
                1e-7, 1.0, steps, 1L, "host", "label");
    }

    @Test
    void sweepWithoutEventsForLongerThanTheSilenceShowsStale() {
        board.apply(SweepStarted.of("s", 0, config(1, 100), T0));
        board.apply(StepObserved.of("s", 0, 0, 1e-7, 2.3, T0));
        SweepView view = board.sweep("s").orElseThrow();
        assertThat(board.status(view)).isEqualTo(SweepStatus.RUNNING);

        clock.millis = T0 + 30_001;

        assertThat(board.status(view)).isEqualTo(SweepStatus.STALE);
        assertThat(board.summary(view).status()).isEqualTo("stale");
    }

    @Test
    void endedSweepIsDoneOrStoppedAndNeverStale() {
        board.apply(SweepStarted.of("done", 0, config(1, 100), T0));
        board.apply(SweepEnded.of("done", 0, SweepEnded.Outcome.COMPLETED, "all steps", 99, T0));
        board.apply(SweepStarted.of("stopped", 0, config(1, 100), T0));
        board.apply(SweepEnded.of("stopped", 0, SweepEnded.Outcome.STOPPED, "by user", 9, T0));
        clock.millis = T0 + 3_600_000;

        assertThat(board.status(board.sweep("done").orElseThrow())).isEqualTo(SweepStatus.DONE);
        assertThat(board.status(board.sweep("stopped").orElseThrow()))
                .isEqualTo(SweepStatus.STOPPED);
    }

    @Test
    void replayedHistoryIsAsOldAsItsEventsNotAsTheReplay() {
        clock.millis = T0 + 600_000;
        board.apply(StepObserved.of("old", 0, 0, 1e-7, 2.3, T0));

        assertThat(board.status(board.sweep("old").orElseThrow())).isEqualTo(SweepStatus.STALE);
    }

    @Test
    void duplicateStepAddsNoPointAndSeqCountsPointsFromZero() {
        assertThat(board.apply(StepObserved.of("s", 0, 0, 1e-7, 2.3, T0)).seq()).isZero();
        assertThat(board.apply(StepObserved.of("s", 0, 0, 1e-7, 9.9, T0))).isNull();
        PlotPoint second = board.apply(StepObserved.of("s", 0, 1, 2e-7, 2.2, T0));

        assertThat(second).isEqualTo(new PlotPoint(1, 1, 2e-7, 2.2));
        assertThat(board.sweep("s").orElseThrow().pointsAfter(0)).containsExactly(second);
    }

    @Test
    void stepOfTwoRanksIsPlottedOnceBothReportedWithTheMeanLoss() {
        board.apply(SweepStarted.of("dp", 0, config(2, 100), T0));

        assertThat(board.apply(StepObserved.of("dp", 0, 0, 1e-7, 2.0, T0))).isNull();
        PlotPoint point = board.apply(StepObserved.of("dp", 1, 0, 1e-7, 3.0, T0));

        assertThat(point.loss()).isEqualTo(2.5);
        assertThat(board.summary(board.sweep("dp").orElseThrow()).effectiveBatch()).isEqualTo(128);
    }

    @Test
    void smoothedLineIsTheAnalyzersAfterTheBurnIn() {
        board.apply(SweepStarted.of("s", 0, config(1, 20), T0));
        for (int step = 0; step < 20; step++) {
            board.apply(StepObserved.of("s", 0, step, 1e-6 * Math.pow(10, step / 4.0),
                    2.0 - step * 0.01, T0));
        }
        var smoothed = board.sweep("s").orElseThrow().smoothed(board.analyzer());

        assertThat(smoothed).hasSize(18);
        assertThat(smoothed.get(0).step()).isEqualTo(2);
        assertThat(smoothed.get(0).smoothed())
                .isEqualTo(1.98, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void progressIsLastStepOverPlannedSteps() {
        board.apply(SweepStarted.of("s", 0, config(1, 200), T0));
        for (int step = 0; step < 50; step++) {
            board.apply(StepObserved.of("s", 0, step, 1e-6 * (step + 1), 2.0, T0));
        }

        assertThat(board.summary(board.sweep("s").orElseThrow()).progress()).isEqualTo(0.25);
    }

    @Test
    void aStepsObservedRecordPlotsItsStepsInOrderAsIfTheyCameOneByOne() {
        board.apply(SweepStarted.of("batched", 0, config(1, 100), T0));

        List<PlotPoint> points = board.applyAll(StepsObserved.of("batched", 0, List.of(
                new StepsObserved.Step(0, 1e-7, 2.30),
                new StepsObserved.Step(1, 1e-6, 2.25),
                new StepsObserved.Step(2, 1e-5, 2.20)), T0));

        assertThat(points).containsExactly(new PlotPoint(0, 0, 1e-7, 2.30),
                new PlotPoint(1, 1, 1e-6, 2.25), new PlotPoint(2, 2, 1e-5, 2.20));
        SweepView view = board.sweep("batched").orElseThrow();
        assertThat(view.points()).isEqualTo(points);
        assertThat(board.summary(view).lastStep()).isEqualTo(2);
        assertThat(board.summary(view).progress()).isEqualTo(0.03);
    }

    @Test
    void batchedRanksBecomePointsOnlyWhenEveryRankReportedTheStep() {
        board.apply(SweepStarted.of("dp", 0, config(2, 100), T0));
        List<PlotPoint> rank0 = board.applyAll(StepsObserved.of("dp", 0, List.of(
                new StepsObserved.Step(0, 1e-7, 2.0), new StepsObserved.Step(1, 1e-6, 1.8),
                new StepsObserved.Step(2, 1e-5, 1.6)), T0));

        List<PlotPoint> rank1 = board.applyAll(StepsObserved.of("dp", 1, List.of(
                new StepsObserved.Step(0, 1e-7, 2.2), new StepsObserved.Step(1, 1e-6, 2.0)),
                T0));

        assertThat(rank0).isEmpty();
        assertThat(rank1).containsExactly(new PlotPoint(0, 0, 1e-7, 2.1),
                new PlotPoint(1, 1, 1e-6, 1.9));
    }
}
