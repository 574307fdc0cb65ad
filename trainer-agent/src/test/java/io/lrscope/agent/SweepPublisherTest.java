package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SweepPublisherTest {

    /** Long enough that only the step count closes a record in these tests. */
    private static final Duration NEVER = Duration.ofSeconds(60);

    private final SweepSettings settings = SweepSettings.defaults().withSweepId("pub")
            .withRamp("exponential", 1e-4, 1, 50);

    private static PublishSettings batching(int stepsPerRecord, Duration maxDelay) {
        return PublishSettings.defaults().withStepsPerRecord(stepsPerRecord)
                .withMaxDelay(maxDelay);
    }

    private static List<Long> steps(long count) {
        return LongStream.range(0, count).boxed().toList();
    }

    @Test
    void sixteenStepsPerRecordCoverEveryStepOnceInOrderBetweenStartedAndEnded() {
        RecordingSink sink = new RecordingSink();

        SweepEnded ended;
        try (SweepPublisher publisher = new SweepPublisher(sink, batching(16, NEVER))) {
            ended = new SweepRunner(settings, publisher).run();
        }

        // started, 16 + 16 + 16 + 2 steps, ended
        assertThat(sink.events).hasSize(6);
        assertThat(sink.events.get(0)).isInstanceOf(SweepStarted.class);
        assertThat(sink.events.subList(1, 5)).allSatisfy(
                e -> assertThat(e).isInstanceOf(StepsObserved.class));
        assertThat(sink.events.subList(1, 5)).extracting(e -> ((StepsObserved) e).steps().size())
                .containsExactly(16, 16, 16, 2);
        assertThat(sink.events.get(5)).isEqualTo(ended);
        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.COMPLETED);
        List<StepObserved> published = sink.allSteps();
        assertThat(published).extracting(StepObserved::step).containsExactlyElementsOf(steps(50));
        assertThat(published).extracting(StepObserved::lr)
                .containsExactly(boxed(settings.lrRamp().values()));
        assertThat(sink.closed).isTrue();
    }

    @Test
    void oneStepPerRecordKeepsOneStepObservedPerStep() {
        RecordingSink sink = new RecordingSink();

        try (SweepPublisher publisher = new SweepPublisher(sink, batching(1, NEVER))) {
            new SweepRunner(settings, publisher).run();
        }

        assertThat(sink.events).hasSize(52);
        assertThat(sink.steps()).extracting(StepObserved::step)
                .containsExactlyElementsOf(steps(50));
        assertThat(sink.events).noneMatch(StepsObserved.class::isInstance);
    }

    @Test
    void aPartlyFilledRecordLeavesAfterTheMaxDelayWithoutAFlush() {
        RecordingSink sink = new RecordingSink();
        try (SweepPublisher publisher = new SweepPublisher(
                sink, batching(16, Duration.ofMillis(30)))) {
            for (int step = 0; step < 3; step++) {
                publisher.publish(StepObserved.of("slow", 0, step, 1e-3, 2.0, 1L));
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> sink.events.size() == 1);

            assertThat(sink.events.get(0)).isInstanceOfSatisfying(StepsObserved.class,
                    r -> assertThat(r.steps()).extracting(StepsObserved.Step::step)
                            .containsExactly(0L, 1L, 2L));
            assertThat(sink.flushes).isZero();
        }
    }

    @Test
    void aGapInStepsOrAnotherRankStartsANewRecord() {
        RecordingSink sink = new RecordingSink();
        try (SweepPublisher publisher = new SweepPublisher(sink, batching(16, NEVER))) {
            publisher.publish(StepObserved.of("s", 0, 0, 1e-3, 2.0, 1L));
            publisher.publish(StepObserved.of("s", 0, 1, 1e-3, 2.0, 1L));
            publisher.publish(StepObserved.of("s", 0, 3, 1e-3, 2.0, 1L)); // gap: new record
            publisher.publish(StepObserved.of("s", 1, 4, 1e-3, 2.0, 1L)); // other rank
            publisher.publish(StepObserved.of("s", 1, 5, 1e-3, 2.0, 1L));
            publisher.flush();
        }

        assertThat(sink.events).hasSize(3);
        assertThat(((StepsObserved) sink.events.get(0)).steps()).hasSize(2);
        assertThat(sink.events.get(1)).isEqualTo(StepObserved.of("s", 0, 3, 1e-3, 2.0, 1L));
        assertThat(((StepsObserved) sink.events.get(2)).rank()).isEqualTo(1);
        assertThat(sink.allSteps()).extracting(StepObserved::step)
                .containsExactly(0L, 1L, 3L, 4L, 5L);
    }

    @Test
    void aFullQueueBlocksTheTrainingThreadInsteadOfDroppingSteps() throws Exception {
        RecordingSink sink = new RecordingSink();
        CountDownLatch brokerBack = new CountDownLatch(1);
        SweepSink stalled = new SweepSink() {
            @Override
            public void publish(SweepEvent event) {
                awaitLatch(brokerBack);
                sink.publish(event);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        PublishSettings tiny = new PublishSettings(1, NEVER, 2);
        try (SweepPublisher publisher = new SweepPublisher(stalled, tiny)) {
            CompletableFuture<Void> training = CompletableFuture.runAsync(() -> {
                for (int step = 0; step < 10; step++) {
                    publisher.publish(StepObserved.of("s", 0, step, 1e-3, 2.0, 1L));
                }
            });

            Thread.sleep(300);
            assertThat(training).isNotDone(); // one step in the stalled send, two queued
            brokerBack.countDown();
            training.get(10, TimeUnit.SECONDS);
            publisher.flush();
        }

        assertThat(sink.steps()).extracting(StepObserved::step)
                .containsExactlyElementsOf(steps(10));
    }

    @Test
    void aFailedSendFailsTheSweepAtItsNextStep() {
        RuntimeException brokerGone = new IllegalStateException("cannot publish: broker gone");
        SweepSink failing = new SweepSink() {
            @Override
            public void publish(SweepEvent event) {
                if (event instanceof StepsObserved) {
                    throw brokerGone;
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        SweepSettings longSweep = settings.withRamp("exponential", 1e-7, 1e-3, 100_000);

        SweepEnded ended;
        try (SweepPublisher publisher = new SweepPublisher(failing, batching(4, NEVER))) {
            ended = new SweepRunner(longSweep, publisher).run();
            assertThatThrownBy(publisher::flush).hasMessage("cannot publish: broker gone");
        }

        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.FAILED);
        assertThat(ended.reason()).contains("broker gone");
        assertThat(ended.lastStep()).isBetween(3L, 1_000L);
    }

    @Test
    void divergedStepIsTheLastStepPublishedAndSweepEndedComesAfterIt() {
        RecordingSink sink = new RecordingSink();
        SweepSettings explosive = settings.withOptimizer("sgd", 0.9, 0)
                .withRamp("exponential", 1, 1e36, 30);

        SweepEnded ended;
        try (SweepPublisher publisher = new SweepPublisher(sink, batching(16, NEVER))) {
            ended = new SweepRunner(explosive, publisher).run();
        }

        List<StepObserved> published = sink.allSteps();
        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
        assertThat(published.get(published.size() - 1).loss()).isNaN();
        assertThat(published).extracting(StepObserved::step)
                .containsExactlyElementsOf(steps(ended.lastStep() + 1));
        assertThat(sink.events.get(sink.events.size() - 1)).isEqualTo(ended);
    }

    @Test
    void stopRequestEndsTheSweepWithinOneStepAndEveryStepBeforeItIsPublished() {
        RecordingSink sink = new RecordingSink();
        SweepSettings longSweep = settings.withRamp("exponential", 1e-7, 1e-3, 100_000);
        AtomicReference<SweepRunner> runner = new AtomicReference<>();
        SweepEnded ended;
        try (SweepPublisher publisher = new SweepPublisher(sink, batching(16, NEVER))) {
            // On the training thread, in front of the queue: the stop arrives during step 20.
            runner.set(new SweepRunner(longSweep, new SweepSink() {
                @Override
                public void publish(SweepEvent event) {
                    publisher.publish(event);
                    if (event instanceof StepObserved s && s.step() == 20) {
                        runner.get().requestStop("enough");
                    }
                }

                @Override
                public void flush() {
                    publisher.flush();
                }

                @Override
                public void close() {}
            }));
            ended = runner.get().run();
        }

        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
        assertThat(ended.lastStep()).isEqualTo(20);
        assertThat(sink.allSteps()).extracting(StepObserved::step)
                .containsExactlyElementsOf(steps(21));
        assertThat(sink.events.get(sink.events.size() - 1)).isEqualTo(ended);
    }

    @Test
    void badSettingsAreRejectedWithTheFieldAndValue() {
        assertThatThrownBy(() -> PublishSettings.defaults().withStepsPerRecord(0).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stepsPerRecord=0: must be in 1..10000");
        assertThatThrownBy(() -> PublishSettings.defaults().withMaxDelay(Duration.ZERO)
                .validate()).hasMessage("maxDelay=0ms: must be in 1 ms..60 s");
        assertThatThrownBy(() -> new PublishSettings(16, NEVER, 20).validate())
                .hasMessage("queueCapacity=20: must be >= 2 × stepsPerRecord (32)");
    }

    private static Double[] boxed(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
