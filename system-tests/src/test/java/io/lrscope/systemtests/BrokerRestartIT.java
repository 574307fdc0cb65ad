package io.lrscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.agent.KafkaSweepSink;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes down and comes back (same data dir, same port) while an agent's sink keeps
 * publishing steps. The agent's idempotent producer retries what the dead broker never
 * acknowledged; nothing may be lost and nothing may be written or counted twice.
 */
class BrokerRestartIT {

    private static final String SWEEP = "broker-restart-1";
    private static final String CURVE = "u-shaped-noisy";

    @TempDir Path dir;

    @Test
    void brokerRestartMidSweepLosesNoStepAndCountsNoneTwice() throws Exception {
        List<SweepEvent> events = Curves.sweep(SWEEP, CURVE);
        Path data = dir.resolve("kafka");
        EmbeddedKafka kafka = Rig.broker(data);
        String bootstrap = kafka.bootstrapServers();
        CliProcess analyzer = null;
        KafkaSweepSink sink = new KafkaSweepSink(bootstrap);
        try {
            analyzer = Rig.analyzer("analyzer-broker-restart", bootstrap,
                    dir.resolve("analyzer-state"), "--stale-after", "10m");

            // given: the first 30 steps are analysed
            for (SweepEvent event : events.subList(0, 31)) {
                sink.publish(event);
            }
            sink.flush();
            try (Wire.Recommendations recommendations =
                    new Wire.Recommendations(bootstrap, SWEEP)) {
                recommendations.await(r -> r.lastStep() >= 20, Duration.ofSeconds(60))
                        .orElseThrow(() -> new AssertionError("no running recommendation"));
            }

            // when: steps keep coming every 40 ms while the broker stops and starts again
            CompletableFuture<Void> agent = CompletableFuture.runAsync(() -> {
                for (SweepEvent event : events.subList(31, events.size())) {
                    sink.publish(event);
                    CliProcess.sleep(40);
                }
                sink.flush();
            });
            Thread.sleep(200);
            kafka.close();
            Thread.sleep(1_000);
            kafka = EmbeddedKafka.start(data, 0);
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            agent.get(60, TimeUnit.SECONDS);

            // then: the topic holds every step exactly once ...
            Map<Long, Integer> copies = stepCopies(bootstrap, events.size() - 2);
            assertThat(copies).hasSize(events.size() - 2);
            assertThat(copies.values()).as("copies of each step on the events topic")
                    .containsOnly(1);

            // ... and the analyzer's final curve counted each exactly once
            Recommendation recovered;
            try (Wire.Recommendations recommendations =
                    new Wire.Recommendations(bootstrap, SWEEP)) {
                recovered = recommendations.awaitFinal(Duration.ofSeconds(120));
            }
            assertThat(recovered.pointsSeen()).isEqualTo(events.size() - 2);
            assertThat(recovered.duplicates()).isZero();
            assertThat(recovered.lastStep()).isEqualTo(events.size() - 3);
            Rig.assertMatchesExpected(recovered, CURVE);
            Recommendation reference =
                    Rig.referenceFinal(bootstrap, SWEEP, dir.resolve("reference-state"));
            assertThat(Rig.withoutUpdatedMillis(recovered))
                    .as("after broker restart: %s%nuninterrupted: %s",
                            EventJson.toJson(recovered), EventJson.toJson(reference))
                    .isEqualTo(Rig.withoutUpdatedMillis(reference));
            assertThat(analyzer.isAlive()).as("analyzer survived the broker restart").isTrue();
        } finally {
            sink.close();
            if (analyzer != null) {
                analyzer.close();
            }
            kafka.close();
        }
    }

    /** How many times each step of the sweep is on the events topic (committed records). */
    private static Map<Long, Integer> stepCopies(String bootstrap, int expectedSteps) {
        Map<Long, Integer> copies = new HashMap<>();
        try (Wire.Reader reader = new Wire.Reader(bootstrap, Topics.SWEEP_EVENTS)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int quietPolls = 0;
            while (System.nanoTime() < deadline && quietPolls < 5) {
                List<ConsumerRecord<byte[], byte[]>> batch = reader.poll(Duration.ofMillis(300));
                quietPolls = batch.isEmpty() && copies.size() >= expectedSteps ? quietPolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    if (EventJson.decodeEvent(record.value()) instanceof StepObserved step
                            && step.sweepId().equals(SWEEP)) {
                        copies.merge(step.step(), 1, Integer::sum);
                    }
                }
            }
        }
        return copies;
    }
}
