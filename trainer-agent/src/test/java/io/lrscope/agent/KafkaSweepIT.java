package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real sweep against the embedded KRaft broker: events out, stop commands in. */
class KafkaSweepIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dataDir);
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, 3, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shortSweepPublishesStartedStepsAndEndedKeyedBySweepId() {
        SweepSettings settings = SweepSettings.defaults().withSweepId("it-short")
                .withRamp("exponential", 1e-5, 1, 30);

        SweepEnded ended;
        try (KafkaSweepSink sink = new KafkaSweepSink(kafka.bootstrapServers())) {
            ended = new SweepRunner(settings, sink).run();
        }

        List<ConsumerRecord<String, byte[]>> records = readUntilEnded("it-short");
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo("it-short"));
        List<SweepEvent> events = records.stream()
                .map(r -> EventJson.decodeEvent(r.value())).toList();
        assertThat(events).hasSize(32);
        assertThat(events.get(0)).isInstanceOf(SweepStarted.class);
        assertThat(events.subList(1, 31)).allSatisfy(e -> assertThat(e)
                .isInstanceOf(StepObserved.class));
        assertThat(events.subList(1, 31)).extracting(e -> ((StepObserved) e).step())
                .containsExactlyElementsOf(range(30));
        assertThat(events.get(31)).isEqualTo(ended);
        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.COMPLETED);
    }

    @Test
    void batchedSweepReadBackFromTheBrokerHasEveryStepOnceInOrderBetweenStartedAndEnded() {
        SweepSettings settings = SweepSettings.defaults().withSweepId("it-batched")
                .withRamp("exponential", 1e-5, 1, 100);
        PublishSettings sixteen = PublishSettings.defaults().withStepsPerRecord(16)
                .withMaxDelay(Duration.ofSeconds(60));

        SweepEnded ended;
        try (SweepPublisher publisher = new SweepPublisher(
                new KafkaSweepSink(kafka.bootstrapServers()), sixteen)) {
            ended = new SweepRunner(settings, publisher).run();
        }

        List<ConsumerRecord<String, byte[]>> records = readUntilEnded("it-batched");
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo("it-batched"));
        List<SweepEvent> events = records.stream()
                .map(r -> EventJson.decodeEvent(r.value())).toList();
        // started, 6 records of 16 steps and one of 4, ended
        assertThat(events).hasSize(9);
        assertThat(events.get(0)).isInstanceOf(SweepStarted.class);
        assertThat(events.subList(1, 8)).extracting(e -> ((StepsObserved) e).steps().size())
                .containsExactly(16, 16, 16, 16, 16, 16, 4);
        assertThat(RecordingSink.expand(events)).extracting(StepObserved::step)
                .containsExactlyElementsOf(range(100));
        assertThat(RecordingSink.expand(events)).extracting(StepObserved::lr)
                .containsExactly(Arrays.stream(settings.lrRamp().values()).boxed()
                        .toArray(Double[]::new));
        assertThat(events.get(8)).isEqualTo(ended);
        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.COMPLETED);
    }

    @Test
    void stopCommandOnTheControlTopicStopsARunningSweep() throws Exception {
        SweepSettings settings = SweepSettings.defaults().withSweepId("it-stop")
                .withRamp("exponential", 1e-7, 1e-2, 1_000_000);

        // as the CLI wires it: a publisher thread batching steps in front of the producer
        try (SweepPublisher sink = new SweepPublisher(
                        new KafkaSweepSink(kafka.bootstrapServers()), PublishSettings.defaults());
                KafkaProducer<String, byte[]> control = producer()) {
            // An old command for this sweep, from before the agent started, must be ignored.
            send(control, "it-stop", EventJson.encode(
                    StopSweep.of("it-stop", "stale command", 0L, System.currentTimeMillis())));
            SweepRunner runner = new SweepRunner(settings, sink);
            try (StopCommandListener listener = new StopCommandListener(
                    kafka.bootstrapServers(), "it-stop", stop -> runner.requestStop(
                            stop.reason()))) {
                CompletableFuture<SweepEnded> running = CompletableFuture.supplyAsync(runner::run);
                await().atMost(Duration.ofSeconds(30)).until(() -> stepsSeen("it-stop") >= 20);

                send(control, "other", EventJson.encode(
                        StopSweep.of("other-sweep", "not ours", null, System.currentTimeMillis())));
                send(control, "it-stop", "not json".getBytes(StandardCharsets.UTF_8));
                send(control, "it-stop", EventJson.encode(
                        StopSweep.of("it-stop", "divergence at step 20", 20L,
                                System.currentTimeMillis())));

                SweepEnded ended = running.get(30, TimeUnit.SECONDS);
                assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
                assertThat(ended.reason()).isEqualTo("divergence at step 20");
                assertThat(ended.lastStep()).isGreaterThanOrEqualTo(19).isLessThan(100_000);
            }
        }
        List<SweepEvent> events = readUntilEnded("it-stop").stream()
                .map(r -> EventJson.decodeEvent(r.value())).toList();
        SweepEvent last = events.get(events.size() - 1);
        assertThat(last).isInstanceOf(SweepEnded.class);
        assertThat(((SweepEnded) last).outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
        assertThat(RecordingSink.expand(events)).extracting(StepObserved::step)
                .containsExactlyElementsOf(range((int) ((SweepEnded) last).lastStep() + 1));
    }

    private static List<Long> range(int n) {
        List<Long> steps = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            steps.add(i);
        }
        return steps;
    }

    private static long stepsSeen(String sweepId) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.SWEEP_EVENTS));
            long count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline && count < 20) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (sweepId.equals(r.key())) {
                        count += RecordingSink.expand(
                                List.of(EventJson.decodeEvent(r.value()))).size();
                    }
                }
            }
            return count;
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readUntilEnded(String sweepId) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.SWEEP_EVENTS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
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

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(Topics.CONTROL, key, value)).get(10, TimeUnit.SECONDS);
    }
}
