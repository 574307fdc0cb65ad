package io.lrscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer is SIGKILLed while a sweep streams in, the rest of the sweep arrives while it is
 * dead, and a new process on the same state dir takes over. Its final recommendation must be
 * the one an analyzer that was never interrupted gives for the same events.
 */
class AnalyzerKillIT {

    private static final String SWEEP = "kill-analyzer-1";
    private static final String CURVE = "u-shaped-clean";

    @TempDir Path dir;

    @Test
    void finalRecommendationAfterSigkillEqualsUninterruptedRun() throws Exception {
        List<SweepEvent> events = Curves.sweep(SWEEP, CURVE);
        int killAfter = 60; // events sent before the kill: SweepStarted + steps 0..58
        try (EmbeddedKafka kafka = Rig.broker(dir.resolve("kafka"));
                KafkaProducer<byte[], byte[]> producer = Wire.producer(kafka.bootstrapServers());
                Wire.Recommendations recommendations =
                        new Wire.Recommendations(kafka.bootstrapServers(), SWEEP)) {
            String bootstrap = kafka.bootstrapServers();
            Path state = dir.resolve("analyzer-state");
            Recommendation recovered;
            try (CliProcess first = Rig.analyzer("analyzer-kill-1", bootstrap, state,
                    "--stale-after", "10m")) {
                // given: the first 40 steps, paced like a live sweep, reach the analyzer
                for (SweepEvent event : events.subList(0, 41)) {
                    Rig.send(producer, event);
                    producer.flush();
                    Thread.sleep(10);
                }
                Recommendation running = recommendations.await(
                        r -> r.lastStep() >= 30, Duration.ofSeconds(60)).orElseThrow(
                                () -> new AssertionError("no running recommendation; log:\n"
                                        + first.tail()));
                assertThat(running.status()).isEqualTo(Recommendation.RUNNING);

                // when: more steps are in flight and the analyzer is SIGKILLed
                for (SweepEvent event : events.subList(41, killAfter)) {
                    Rig.send(producer, event);
                }
                producer.flush();
                long pid = first.pid();
                int exit = first.kill();
                assertThat(exit).as("exit code of pid " + pid + " after destroyForcibly")
                        .isEqualTo(CliProcess.SIGKILL_EXIT);
                assertThat(ProcessHandle.of(pid)).as("pid " + pid + " after SIGKILL").isEmpty();
            }

            // the rest of the sweep, SweepEnded included, arrives while no analyzer runs
            for (SweepEvent event : events.subList(killAfter, events.size())) {
                Rig.send(producer, event);
            }
            producer.flush();

            // then: a new process on the same state dir finishes the sweep
            try (CliProcess second = Rig.analyzer("analyzer-kill-2", bootstrap, state,
                    "--stale-after", "10m")) {
                recovered = recommendations.awaitFinal(Duration.ofSeconds(120));
                Rig.assertNoStreamThreadReplaced(second);
            }

            Recommendation reference =
                    Rig.referenceFinal(bootstrap, SWEEP, dir.resolve("reference-state"));
            assertThat(Rig.withoutUpdatedMillis(recovered))
                    .as("after SIGKILL: %s%nuninterrupted: %s",
                            EventJson.toJson(recovered), EventJson.toJson(reference))
                    .isEqualTo(Rig.withoutUpdatedMillis(reference));
            assertThat(recovered.pointsSeen()).isEqualTo(events.size() - 2);
            assertThat(recovered.duplicates()).isZero();
            assertThat(recovered.endedBy()).startsWith("completed");
            Rig.assertMatchesExpected(recovered, CURVE);
            assertThat(recommendations.seen().stream().filter(Recommendation::isFinal).count())
                    .as("final recommendations published for the sweep")
                    .isEqualTo(1);
        }
    }
}
