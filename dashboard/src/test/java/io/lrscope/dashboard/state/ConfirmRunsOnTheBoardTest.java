package io.lrscope.dashboard.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.dashboard.stream.LiveFeed;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEnded;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfirmRunsOnTheBoardTest {

    private final SweepBoard board = new SweepBoard(Clock.systemUTC(), Duration.ofSeconds(30),
            new CurveAnalyzer(CurveSettings.defaults()));

    @Test
    void confirmStepsAreKeptPerRunAndNeverBecomeSweepPoints() {
        board.apply(StepObserved.of("s", 0, 0, 1e-5, 2.3, 1L));
        board.apply(StepObserved.of("s", 0, 1, 1e-4, 2.2, 1L));
        board.apply(SweepEnded.of("s", 0, SweepEnded.Outcome.COMPLETED, "done", 1, 2L));

        board.apply(ConfirmStarted.of("s", "x1", 3, 1e-2, 1, 1e-2, 4, 1, 3L));
        assertThat(board.apply(ConfirmStepObserved.of("s", "x1", 0, 0, 2.3, null, null, 4L)))
                .isNull();
        board.apply(ConfirmStepObserved.of("s", "x1", 1, 1e-2, 1.9, 1.8, 0.4, 4L));
        board.apply(ConfirmStepObserved.of("s", "x1", 1, 1e-2, 1.9, 1.8, 0.4, 4L));
        board.apply(ConfirmStepObserved.of("s", "x1", 2, 5e-3, Double.NaN, null, null, 4L));
        board.apply(ConfirmEnded.of("s", "x1", ConfirmEnded.Outcome.DIVERGED, "loss=NaN", 2,
                null, null, 5L));

        SweepView view = board.sweep("s").orElseThrow();
        assertThat(view.points()).hasSize(2);
        assertThat(view.ended()).isTrue();
        ConfirmRunView run = view.confirmRuns().runs().iterator().next();
        assertThat(run.points()).extracting(ConfirmRunView.TrainPoint::step)
                .containsExactly(0L, 1L, 2L);
        assertThat(run.validation()).containsExactly(
                new ConfirmRunView.ValidationPoint(1, 1.8, 0.4));
        assertThat(run.header().outcome()).isEqualTo("diverged");
        assertThat(run.header().peakLr()).isEqualTo(1e-2);
    }

    @Test
    void confirmJsonSendsEveryRunFromIndexZeroWithANonFiniteLossAsAString() {
        board.apply(ConfirmStarted.of("s", "x3", 3, 1e-2, 3, 3e-2, 4, 1, 3L));
        board.apply(ConfirmStepObserved.of("s", "x3", 0, 0, Double.NaN, null, null, 4L));

        String json = LiveFeed.confirmJson("s", board.sweep("s").orElseThrow().confirmRuns());

        assertThat(json).startsWith("{\"sweepId\":\"s\",\"runs\":[{\"run\":{\"runId\":\"x3\","
                + "\"factor\":3.0,\"peakLr\":0.03,\"pickLr\":0.01,\"steps\":4,\"warmupSteps\":1,"
                + "\"outcome\":\"running\"},\"from\":0,\"points\":[{\"step\":0,\"lr\":0.0,"
                + "\"trainLoss\":\"NaN\"}],\"validationFrom\":0,\"validation\":[]}]}");
    }
}
