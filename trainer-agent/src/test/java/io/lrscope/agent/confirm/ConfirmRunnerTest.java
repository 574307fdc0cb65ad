package io.lrscope.agent.confirm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.SweepSink;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.SweepEvent;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConfirmRunnerTest {

    private final SweepSettings sweep = SweepSettings.defaults().withSweepId("c1");
    private final Sink sink = new Sink();

    /** Keeps published events in order; each must pass its own validation. */
    static final class Sink implements SweepSink {
        final List<SweepEvent> events = new CopyOnWriteArrayList<>();
        int flushes;

        @Override
        public void publish(SweepEvent event) {
            event.validate();
            events.add(event);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {}

        <T> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    void trainsOneRunPerFactorOnTheSweepsKeyWithWarmupThenCosine() {
        ConfirmSettings settings = ConfirmSettings.defaults().withSteps(100);

        List<ConfirmEnded> ends = new ConfirmRunner(sweep, settings, sink).run(0.05);

        assertThat(ends).extracting(ConfirmEnded::runId).containsExactly("x0.3", "x1", "x3");
        assertThat(sink.events)
                .allMatch(e -> e instanceof ConfirmEvent && e.sweepId().equals("c1"));
        List<ConfirmStarted> starts = sink.of(ConfirmStarted.class);
        assertThat(starts).extracting(ConfirmStarted::peakLr)
                .containsExactly(0.015, 0.05, 0.15000000000000002);
        assertThat(starts.get(0).warmupSteps()).isEqualTo(5);
        assertThat(starts.get(0).runs()).isEqualTo(3);

        List<ConfirmStepObserved> pick = sink.of(ConfirmStepObserved.class).stream()
                .filter(s -> s.runId().equals("x1")).toList();
        assertThat(pick).hasSize(100);
        assertThat(pick.get(0).lr()).isZero();
        assertThat(pick.get(5).lr()).isEqualTo(0.05);
        assertThat(pick.get(99).lr()).isCloseTo(0.05 * 0.5 * (1 + Math.cos(Math.PI * 94 / 95)),
                within(1e-15));
        // validation every 100/20 = 5 steps and on the last one
        assertThat(pick.stream().filter(s -> s.validationLoss() != null).count()).isEqualTo(20);
        assertThat(pick.get(4).validationLoss()).isNotNull();
        assertThat(pick.get(3).validationLoss()).isNull();
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void runsStartFromTheSameWeightsAndDataOrder() {
        new ConfirmRunner(sweep, ConfirmSettings.defaults().withSteps(20), sink).run(0.05);

        // step 0 trains at LR 0, so every run's first loss is the same loss of the same weights
        List<Double> firstLosses = sink.of(ConfirmStepObserved.class).stream()
                .filter(s -> s.step() == 0).map(ConfirmStepObserved::trainLoss).toList();
        assertThat(firstLosses).hasSize(3);
        assertThat(firstLosses.get(1)).isEqualTo(firstLosses.get(0));
        assertThat(firstLosses.get(2)).isEqualTo(firstLosses.get(0));
    }

    @Test
    void aGoodLrEndsCompletedWithLowValidationLossAndHighAccuracy() {
        List<ConfirmEnded> ends = new ConfirmRunner(sweep,
                ConfirmSettings.defaults().withFactors(List.of(1.0)), sink).run(0.05);

        ConfirmEnded end = ends.get(0);
        assertThat(end.outcome()).isEqualTo(ConfirmEnded.Outcome.COMPLETED);
        assertThat(end.lastStep()).isEqualTo(299);
        assertThat(end.finalValidationLoss()).isBetween(0.0, 0.3);
        assertThat(end.validationAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void aNonFiniteTrainingLossEndsTheRunDivergedWithoutValidationLoss() {
        // A trainer whose loss turns NaN at step 7, as a blown-up network's does.
        ConfirmTrainer blowsUp = new ConfirmTrainer() {
            private int steps;

            @Override
            public double step(double lr) {
                return ++steps > 7 ? Double.NaN : 2.0;
            }

            @Override
            public Evaluation evaluate() {
                return new Evaluation(2.0, 0.1);
            }

            @Override
            public void close() {}
        };
        List<ConfirmEnded> ends = new ConfirmRunner(sweep,
                ConfirmSettings.defaults().withFactors(List.of(1.0)), sink,
                Clock.systemUTC(), s -> blowsUp).run(0.05);

        assertThat(ends.get(0).outcome()).isEqualTo(ConfirmEnded.Outcome.DIVERGED);
        assertThat(ends.get(0).lastStep()).isEqualTo(7);
        assertThat(ends.get(0).finalValidationLoss()).isNull();
        // warmup: 0.05 · 7/15
        assertThat(ends.get(0).reason()).isEqualTo("loss=NaN at step 7 (lr=2.33e-02)");
        assertThat(sink.of(ConfirmStepObserved.class)).hasSize(8);
    }

    @Test
    void aCharLmIsConfirmedOnItsOwnValidationText() {
        SweepSettings charLm = sweep.withOptimizer("adamw", 0, 0.01)
                .withModel("char-lm", null, null, null, 32).withBatch(16, 1);

        List<ConfirmEnded> ends = new ConfirmRunner(charLm, ConfirmSettings.defaults()
                .withSteps(20).withFactors(List.of(1.0)), sink).run(3e-3);

        // ln(96 characters) = 4.56 before learning; per-character accuracy is a fraction
        assertThat(ends.get(0).outcome()).isEqualTo(ConfirmEnded.Outcome.COMPLETED);
        assertThat(ends.get(0).finalValidationLoss()).isBetween(2.0, 4.6);
        assertThat(ends.get(0).validationAccuracy()).isBetween(0.05, 1.0);
        assertThat(sink.of(ConfirmStepObserved.class).get(0).trainLoss()).isBetween(4.2, 4.9);
    }

    @Test
    void stopEndsTheCurrentRunAndSkipsTheRest() {
        ConfirmRunner runner = new ConfirmRunner(sweep, ConfirmSettings.defaults(), sink);
        runner.requestStop("user pressed Stop");

        List<ConfirmEnded> ends = runner.run(0.05);

        assertThat(ends).extracting(ConfirmEnded::outcome)
                .containsOnly(ConfirmEnded.Outcome.STOPPED);
        assertThat(sink.of(ConfirmStarted.class)).hasSize(3);
        assertThat(sink.of(ConfirmStepObserved.class)).isEmpty();
    }

    @Test
    void rejectsBadSettingsNamingFieldAndValue() {
        assertThatThrownBy(() -> new ConfirmRunner(sweep,
                ConfirmSettings.defaults().withFactors(List.of(1.0, -3.0)), sink))
                .hasMessage("factors=[1.0, -3.0]: must be finite numbers > 0");
        assertThatThrownBy(() -> new ConfirmRunner(sweep,
                new ConfirmSettings(List.of(1.0), 300, 0.2, 0, 0), sink))
                .hasMessage("warmupFraction=0.2: must be in [0.05, 0.10]");
        assertThatThrownBy(() -> new ConfirmRunner(sweep, ConfirmSettings.defaults(), sink)
                .run(Double.NaN))
                .hasMessage("pickLr=NaN: must be a finite number > 0");
    }

    @Test
    void runIdsNameTheFactor() {
        assertThat(ConfirmSettings.runId(0.3)).isEqualTo("x0.3");
        assertThat(ConfirmSettings.runId(1.0)).isEqualTo("x1");
        assertThat(ConfirmSettings.runId(3)).isEqualTo("x3");
        assertThat(ConfirmSettings.runId(0.1)).isEqualTo("x0.1");
        assertThat(ConfirmSettings.runId(10)).isEqualTo("x10");
    }
}
