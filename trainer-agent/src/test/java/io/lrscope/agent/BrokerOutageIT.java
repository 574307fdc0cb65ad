package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away for a few seconds in the middle of a sweep and comes back on the same
 * port and data: the idempotent producer retries within its delivery timeout, so the topic ends
 * up with every step exactly once, in order, and the sweep completes.
 */
class BrokerOutageIT {

    private static final int STEPS = 1500;
    private static final int OUTAGE_AT_STEP = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(4);

    @TempDir
    Path dataDir;

    private volatile EmbeddedKafka kafka;

    @Test
    void brieflyUnreachableBrokerLosesAndDuplicatesNoStep() throws Exception {
        kafka = EmbeddedKafka.start(dataDir);
        int port = kafka.port();
        String bootstrap = kafka.bootstrapServers();
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, 3, (short) 1);
        }
        SweepSettings settings = SweepSettings.defaults().withSweepId("it-outage")
                .withRamp("exponential", 1e-7, 1e-2, STEPS);
        CompletableFuture<Void> outage = new CompletableFuture<>();

        SweepEnded ended;
        try (KafkaSweepSink kafkaSink = new KafkaSweepSink(bootstrap)) {
            SweepSink paced = new SweepSink() {
                @Override
                public void publish(SweepEvent event) {
                    kafkaSink.publish(event);
                    if (event instanceof StepObserved step) {
                        if (step.step() == OUTAGE_AT_STEP) {
                            CompletableFuture.runAsync(() -> bounce(port, outage));
                        }
                        sleepMillis(4); // ~6 s of sweep, so the outage falls inside it
                    }
                }

                @Override
                public void flush() {
                    kafkaSink.flush();
                }

                @Override
                public void close() {}
            };
            ended = new SweepRunner(settings, paced).run();
        }
        outage.get(60, TimeUnit.SECONDS);

        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.COMPLETED);
        List<Long> steps = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readUntilEnded("it-outage")) {
            if (EventJson.decodeEvent(r.value()) instanceof StepObserved s) {
                steps.add(s.step());
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < STEPS; i++) {
            expected.add(i);
        }
        assertThat(steps).containsExactlyElementsOf(expected);
        kafka.close();
    }

    private void bounce(int port, CompletableFuture<Void> done) {
        try {
            kafka.close();
            sleepMillis(OUTAGE.toMillis());
            kafka = EmbeddedKafka.start(dataDir, port);
            done.complete(null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> readUntilEnded(String sweepId) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-outage-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SWEEP_EVENTS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (sweepId.equals(r.key())) {
                        records.add(r);
                    }
                }
                return !records.isEmpty() && EventJson.decodeEvent(
                        records.get(records.size() - 1).value()) instanceof SweepEnded;
            });
        }
        return records;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
