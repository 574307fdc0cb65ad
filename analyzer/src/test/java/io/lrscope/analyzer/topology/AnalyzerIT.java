package io.lrscope.analyzer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.TestCurves;
import io.lrscope.analyzer.offline.OfflineAnalysis;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.DeadLetters;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

/** The analyzer as a real Kafka Streams application on a real embedded broker. */
class AnalyzerIT {

    @TempDir static Path stateDir;
    static EmbeddedKafka kafka;
    static AnalyzerService analyzer;
    static MetricsEndpoint metrics;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, 3, (short) 1);
        }
        metrics = MetricsEndpoint.start("127.0.0.1", 0);
        analyzer = new AnalyzerService(AnalyzerConfig.defaults(kafka.bootstrapServers(), stateDir))
                .start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (analyzer != null) {
            analyzer.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void publishesFinalRecommendationStopAndDeadLetterOnTheBroker() throws Exception {
        String csv = TestCurves.text("u-shaped-clean.csv");
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, "it-1",
                    "{\"type\":\"StepObserved\"".getBytes(StandardCharsets.UTF_8)));
            for (String line : csv.lines().skip(1).toList()) {
                String[] c = line.split(",");
                var step = StepObserved.of("it-1", 0, Long.parseLong(c[0]),
                        Double.parseDouble(c[1]), Double.parseDouble(c[2]), 0L);
                producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, "it-1",
                        EventJson.encode(step)));
            }
            producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, "it-1", EventJson.encode(
                    SweepEnded.of("it-1", 0, SweepEnded.Outcome.COMPLETED, null, 99, 0L))));
        }

        Map<String, Recommendation> finals = new ConcurrentHashMap<>();
        List<StopSweep> stops = new CopyOnWriteArrayList<>();
        List<String> deadReasons = new CopyOnWriteArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(
                    List.of(Topics.RECOMMENDATIONS, Topics.CONTROL, Topics.DEAD_LETTERS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    switch (r.topic()) {
                        case Topics.RECOMMENDATIONS -> {
                            Recommendation rec = EventJson.decodeRecommendation(r.value());
                            if (rec.isFinal()) {
                                finals.put(rec.sweepId(), rec);
                            }
                        }
                        case Topics.CONTROL -> stops.add(EventJson.decodeStop(r.value()));
                        default -> deadReasons.add(DeadLetters.reason(r.headers()));
                    }
                }
                return finals.containsKey("it-1") && !stops.isEmpty() && !deadReasons.isEmpty();
            });
        }

        Recommendation streamed = finals.get("it-1");
        assertThat(streamed.divergedAtStep()).isEqualTo(70L);
        assertThat(streamed.pickLr()).isEqualTo(0.0002848035868435801);
        assertThat(stops).singleElement().satisfies(s -> assertThat(s.atStep()).isEqualTo(70L));
        assertThat(deadReasons).singleElement().asString().startsWith("value is not JSON");

        Recommendation offline = new OfflineAnalysis(CurveSettings.defaults(),
                AdviceSettings.defaults()).analyze("it-1", TestCurves.reader("u-shaped-clean.csv"),
                null);
        assertThat(offline).usingRecursiveComparison()
                .ignoringFields("updatedMillis", "endedBy")
                .isEqualTo(streamed);
    }

    @Test
    void servesPrometheusMetricsOfWhatItProcessed() throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String line : TestCurves.text("u-shaped-clean.csv").lines().skip(1).toList()) {
                String[] c = line.split(",");
                producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, "metrics-1",
                        EventJson.encode(StepObserved.of("metrics-1", 0, Long.parseLong(c[0]),
                                Double.parseDouble(c[1]), Double.parseDouble(c[2]), 0L))));
            }
            producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, "metrics-1",
                    "not json".getBytes(StandardCharsets.UTF_8)));
        }
        var client = java.net.http.HttpClient.newHttpClient();
        var scrape = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + metrics.port() + "/metrics")).build();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String body = client.send(scrape,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(counter(body, "lrscope_analyzer_events_in_total"))
                    .isGreaterThanOrEqualTo(100);
            assertThat(counter(body, "lrscope_analyzer_dead_letters_total"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(counter(body, "lrscope_analyzer_stop_commands_total"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(counter(body, "lrscope_analyzer_recommendations_total"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(body).contains("lrscope_analyzer_sweeps_active")
                    .contains("lrscope_analyzer_recommendation_lag_seconds")
                    .contains("kafka_stream");
        });
    }

    private static double counter(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
