package io.lrscope.analyzer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.TestCurves;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An analyzer stopped mid-sweep and started again with an empty state dir (a new machine) and
 * the same application id rebuilds its state from the changelogs and gives the same final
 * recommendation as an analyzer that saw the sweep without interruption.
 */
class AnalyzerRestartIT {

    private static final int PARTITIONS = 3;
    private static final String SWEEP = "restart-1";
    private static final String APP = "restart-it";

    @TempDir static Path temp;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, PARTITIONS, (short) 1);
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void restartedWithEmptyStateDirGivesTheUninterruptedFinal() throws Exception {
        // two ranks, a duplicate in the first half, divergence at step 70 in the second half
        List<SweepEvent> events = twoRankSweep();
        int half = events.size() / 2;
        produce(events.subList(0, half));

        try (AnalyzerService first = analyzer(APP)) {
            awaitCommittedToTheEnd(APP);
        }
        produce(events.subList(half, events.size()));

        Recommendation restarted;
        try (AnalyzerService second = analyzer(APP)) {
            restarted = awaitFinal(Map.of());
        }
        Map<TopicPartition, Long> afterRestarted = endOffsets(Topics.RECOMMENDATIONS);
        Recommendation uninterrupted;
        try (AnalyzerService reference = analyzer(APP + "-reference")) {
            uninterrupted = awaitFinal(afterRestarted);
        }

        assertThat(restarted.duplicates()).isEqualTo(1);
        assertThat(restarted.ranks()).isEqualTo(2);
        assertThat(restarted.divergedAtStep()).isEqualTo(70L);
        assertThat(restarted).usingRecursiveComparison().ignoringFields("updatedMillis")
                .isEqualTo(uninterrupted);
        assertThat(stopsFor(SWEEP)).as("one stop from the restarted app, one from the reference")
                .hasSize(2);
    }

    private static List<SweepEvent> twoRankSweep() {
        SweepConfig config = new SweepConfig("mlp-64-32-10", "digits", "adamw", 32, 2, 1,
                "exponential", 1e-7, 1, 100, 42L, "it", null);
        List<SweepEvent> events = new ArrayList<>();
        events.add(SweepStarted.of(SWEEP, 0, config, 0L));
        events.add(SweepStarted.of(SWEEP, 1, config, 0L));
        List<String> rows = TestCurves.text("two-ranks.csv").lines().skip(1).toList();
        for (int i = 0; i < rows.size(); i++) {
            String[] c = rows.get(i).split(",");
            StepObserved step = StepObserved.of(SWEEP, Integer.parseInt(c[3]),
                    Long.parseLong(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]), 0L);
            events.add(step);
            if (i == 40) {
                events.add(step);
            }
        }
        events.add(SweepEnded.of(SWEEP, 0, SweepEnded.Outcome.COMPLETED, null, 99, 0L));
        events.add(SweepEnded.of(SWEEP, 1, SweepEnded.Outcome.COMPLETED, null, 99, 0L));
        return events;
    }

    private static AnalyzerService analyzer(String applicationId) throws Exception {
        Path stateDir = Files.createTempDirectory(temp, "state-");
        return new AnalyzerService(new AnalyzerConfig(kafka.bootstrapServers(), applicationId,
                stateDir, CurveSettings.defaults(), AdviceSettings.defaults(),
                AnalyzerConfig.DEFAULT_STALE_AFTER, true)).start(Duration.ofSeconds(60));
    }

    private static void produce(List<SweepEvent> events) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (SweepEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, event.sweepId(),
                        EventJson.encode(event)));
            }
        }
    }

    /** Waits until the application has committed every record of the events topic. */
    private static void awaitCommittedToTheEnd(String applicationId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()
                        .get();
                for (var end : endOffsets(admin, Topics.SWEEP_EVENTS).entrySet()) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    if (end.getValue() > 0 && (at == null || at.offset() < end.getValue())) {
                        return false;
                    }
                }
                return true;
            }
        });
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return endOffsets(admin, topic);
        }
    }

    /** The first final for the sweep after the given offsets (the beginning where none). */
    private static Recommendation awaitFinal(Map<TopicPartition, Long> from) {
        AtomicReference<Recommendation> found = new AtomicReference<>();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = partitions(Topics.RECOMMENDATIONS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            from.forEach(consumer::seek);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Recommendation rec = EventJson.decodeRecommendation(r.value());
                    if (rec.isFinal() && rec.sweepId().equals(SWEEP) && found.get() == null) {
                        found.set(rec);
                    }
                }
                return found.get() != null;
            });
        }
        return found.get();
    }

    private static List<StopSweep> stopsFor(String sweepId) {
        List<StopSweep> stops = new ArrayList<>();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = partitions(Topics.CONTROL);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (int i = 0; i < 10; i++) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    StopSweep stop = EventJson.decodeStop(r.value());
                    if (stop.sweepId().equals(sweepId)) {
                        stops.add(stop);
                    }
                }
            }
        }
        return stops;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }
}
