package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrscope.agent.model.TrainingSession;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.SweepEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SweepRunnerTest {

    private final SweepSettings settings =
            SweepSettings.defaults().withSweepId("unit-sweep").withRamp("exponential", 1e-4, 1,
                    20);

    @Test
    void publishesStartedThenOneStepPerLrThenCompleted() {
        RecordingSink sink = new RecordingSink();

        SweepEnded ended = new SweepRunner(settings, sink).run();

        assertThat(sink.events).hasSize(22);
        assertThat(sink.events.get(0)).isInstanceOf(SweepStarted.class);
        SweepConfig config = ((SweepStarted) sink.events.get(0)).config();
        assertThat(config.model()).isEqualTo("digits-mlp");
        assertThat(config.optimizer()).isEqualTo("sgd");
        assertThat(config.ramp()).isEqualTo("exponential");
        assertThat(config.steps()).isEqualTo(20);
        assertThat(config.effectiveBatch()).isEqualTo(32);
        assertThat(config.host()).isNotBlank();

        List<StepObserved> steps = sink.steps();
        double[] ramp = settings.lrRamp().values();
        for (int i = 0; i < steps.size(); i++) {
            assertThat(steps.get(i).step()).isEqualTo(i);
            assertThat(steps.get(i).lr()).isEqualTo(ramp[i]);
            assertThat(steps.get(i).sweepId()).isEqualTo("unit-sweep");
        }
        assertThat(sink.events.get(21)).isEqualTo(ended);
        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.COMPLETED);
        assertThat(ended.lastStep()).isEqualTo(19);
        assertThat(sink.flushes).isPositive();
    }

    @Test
    void publishedLossIsTheRawLossOfEachStepNotARunningMean() {
        RecordingSink sink = new RecordingSink();
        new SweepRunner(settings, sink).run();

        double[] ramp = settings.lrRamp().values();
        try (TrainingSession same = TrainingSession.digits("sgd", 0.9, 0, 32, 1, 42)) {
            for (StepObserved step : sink.steps()) {
                assertThat(step.loss()).as("loss of step %d", step.step())
                        .isEqualTo(same.step(ramp[(int) step.step()]));
            }
        }
    }

    @Test
    void sixteenMicroBatchesWithAccumulationFourPublishFourSteps() {
        RecordingSink sink = new RecordingSink();
        SweepSettings accumulated = settings.withBatch(8, 4).withRamp("exponential", 1e-5, 1e-2,
                4);

        new SweepRunner(accumulated, sink).run();

        assertThat(sink.steps()).hasSize(4);
        assertThat(sink.steps()).extracting(StepObserved::lr).doesNotHaveDuplicates();
        assertThat(((SweepStarted) sink.events.get(0)).config().effectiveBatch()).isEqualTo(32);
        try (TrainingSession micro = TrainingSession.digits("sgd", 0.9, 0, 8, 4, 42)) {
            for (StepObserved step : sink.steps()) {
                assertThat(step.loss()).isEqualTo(micro.step(step.lr()));
            }
        }
    }

    @Test
    void eachRankOfADataParallelSweepPublishesItsOwnLossUnderItsRank() {
        SweepSettings twoRanks = settings.withBatch(16, 2).withRamp("exponential", 1e-4, 1e-1, 5);
        RecordingSink rank0 = new RecordingSink();
        RecordingSink rank1 = new RecordingSink();

        new SweepRunner(twoRanks.withRank(0, 2), rank0).run();
        new SweepRunner(twoRanks.withRank(1, 2), rank1).run();

        SweepConfig config = ((SweepStarted) rank1.events.get(0)).config();
        assertThat(config.dpDegree()).isEqualTo(2);
        assertThat(config.effectiveBatch()).isEqualTo(64);
        assertThat(rank1.steps()).hasSize(5).allSatisfy(s -> assertThat(s.rank()).isEqualTo(1));
        assertThat(rank0.steps()).extracting(StepObserved::lr)
                .containsExactlyElementsOf(rank1.steps().stream().map(StepObserved::lr).toList());
        assertThat(rank0.steps().get(0).loss()).isNotEqualTo(rank1.steps().get(0).loss());
    }

    @Test
    void trainingAfterASweepMatchesTrainingWithoutOne() {
        SweepSettings adam = settings.withOptimizer("adamw", 0, 0.01);
        FixedLrTraining.Result before = FixedLrTraining.train(adam.withBatch(200, 1), 1e-3, 1);

        new SweepRunner(adam.withRamp("exponential", 1e-7, 100, 50), new RecordingSink()).run();
        FixedLrTraining.Result after = FixedLrTraining.train(adam.withBatch(200, 1), 1e-3, 1);

        assertThat(after.losses()).containsExactly(before.losses());
        assertThat(after.validationAccuracy()).isEqualTo(before.validationAccuracy());
    }

    @Test
    void divergingLossEndsTheSweepStoppedAfterPublishingThatStep() {
        RecordingSink sink = new RecordingSink();
        SweepSettings explosive = settings.withOptimizer("sgd", 0.9, 0)
                .withRamp("exponential", 1, 1e36, 30);

        SweepEnded ended = new SweepRunner(explosive, sink).run();

        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
        StepObserved last = sink.steps().get(sink.steps().size() - 1);
        assertThat(last.loss()).isNaN();
        assertThat(ended.lastStep()).isEqualTo(last.step()).isLessThan(29);
        assertThat(ended.reason()).startsWith("loss=NaN at step " + last.step());
    }

    @Test
    void stopRequestedFromAnotherThreadEndsTheSweepWithinOneStep() throws Exception {
        RecordingSink sink = new RecordingSink();
        SweepSettings longSweep = settings.withRamp("exponential", 1e-7, 1e-3, 100_000);
        AtomicReference<SweepRunner> runner = new AtomicReference<>();
        CountDownLatch stopSent = new CountDownLatch(1);
        runner.set(new SweepRunner(longSweep, new SweepSink() {
            @Override
            public void publish(SweepEvent event) {
                sink.publish(event);
                if (event instanceof StepObserved s && s.step() == 4) {
                    new Thread(() -> {
                        runner.get().requestStop("enough");
                        stopSent.countDown();
                    }).start();
                    await(stopSent);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        }));

        SweepEnded ended = runner.get().run();

        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
        assertThat(ended.reason()).isEqualTo("enough");
        assertThat(ended.lastStep()).isEqualTo(4);
        assertThat(sink.steps()).hasSize(5);
    }

    @Test
    void sweepRunsOnAThreadThatNeverTouchedTheEngine() throws Exception {
        // PyTorch's grad mode is per thread and on by default; in-place updates must not mind.
        RecordingSink sink = new RecordingSink();
        CompletableFuture<SweepEnded> ended = CompletableFuture.supplyAsync(
                () -> new SweepRunner(settings, sink).run(), Executors.newSingleThreadExecutor());

        assertThat(ended.get(30, TimeUnit.SECONDS).outcome())
                .isEqualTo(SweepEnded.Outcome.COMPLETED);
        assertThat(sink.steps()).hasSize(20);
    }

    @Test
    void publishedLrRisesStrictlyWithEveryStepForBothRampKinds() {
        // Field case 18: the ramp is the only LR schedule a sweep has; Optimizer.step(lr) takes
        // the LR from it every step, so no other scheduler can bend the curve back.
        for (String kind : List.of("exponential", "linear")) {
            RecordingSink sink = new RecordingSink();
            new SweepRunner(settings.withRamp(kind, 1e-6, 1, 40), sink).run();

            List<StepObserved> steps = sink.steps();
            assertThat(steps).hasSize(40);
            for (int i = 1; i < steps.size(); i++) {
                assertThat(steps.get(i).lr()).as("%s step %d", kind, i)
                        .isGreaterThan(steps.get(i - 1).lr());
            }
        }
    }

    @Test
    void aRunnerRunsOnlyOnceAndRejectsBadSettingsBeforeAnyEvent() {
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> new SweepRunner(settings.withOptimizer("lion", 0, 0), sink))
                .hasMessage("optimizer=lion: must be sgd, adam or adamw");
        assertThat(sink.events).isEmpty();

        SweepRunner runner = new SweepRunner(settings.withRamp("linear", 1e-3, 1e-2, 2), sink);
        runner.run();
        assertThatThrownBy(runner::run).isInstanceOf(IllegalStateException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
