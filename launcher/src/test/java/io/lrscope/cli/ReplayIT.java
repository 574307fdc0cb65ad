package io.lrscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.topology.AnalyzerConfig;
import io.lrscope.analyzer.topology.AnalyzerService;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lrscope replay} against what a real analyzer published on a real broker. */
class ReplayIT {

    @TempDir Path stateDir;

    @Test
    void replayFindsPublishedRecommendationsIdenticalThenNamesATamperedField() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            try (Admin admin = kafka.admin()) {
                Topics.ensure(admin, 2, (short) 1);
            }
            String bootstrap = kafka.bootstrapServers();
            List<String> curve = new String(ReplayIT.class.getResourceAsStream(
                    "/u-shaped-clean.csv").readAllBytes(), StandardCharsets.UTF_8)
                    .lines().skip(1).toList();
            Recommendation published;
            try (AnalyzerService analyzer = new AnalyzerService(
                    AnalyzerConfig.defaults(bootstrap, stateDir)).start(Duration.ofSeconds(60));
                    var producer = producer(bootstrap);
                    RecommendationReader reader = new RecommendationReader(bootstrap)) {
                for (String sweep : List.of("r1", "r2")) {
                    for (String line : curve) {
                        String[] c = line.split(",");
                        send(producer, sweep, EventJson.encode(StepObserved.of(sweep, 0,
                                Long.parseLong(c[0]), Double.parseDouble(c[1]),
                                Double.parseDouble(c[2]), 0L)));
                    }
                    send(producer, sweep, EventJson.encode(SweepEnded.of(
                            sweep, 0, SweepEnded.Outcome.COMPLETED, null, 99, 0L)));
                }
                send(producer, "r1", "{\"garbage\":".getBytes(StandardCharsets.UTF_8));
                producer.flush();
                Set<String> finals = new HashSet<>();
                published = reader.await(r -> r.isFinal() && finals.add(r.sweepId())
                        && finals.size() == 2, Duration.ofSeconds(60)).orElseThrow();
            }

            Cli clean = Cli.run("replay", "--bootstrap", bootstrap);

            assertThat(clean.exitCode()).as(clean.err()).isZero();
            assertThat(clean.outLines()).contains("sweep=r1 identical", "sweep=r2 identical");
            assertThat(clean.lastOutLine()).isEqualTo(
                    "replayed sweeps=2 identical=2 differing=0 deadLettersSkipped=1");

            try (var producer = producer(bootstrap)) {
                Recommendation tampered = published;
                String json = EventJson.toJson(tampered)
                        .replace("\"pickLr\":" + tampered.pickLr(), "\"pickLr\":0.5");
                send(producer, tampered.sweepId(), json.getBytes(StandardCharsets.UTF_8),
                        Topics.RECOMMENDATIONS);
            }

            Cli audit = Cli.run("replay", "--bootstrap", bootstrap, "--sweep", published.sweepId());

            assertThat(audit.exitCode()).isEqualTo(ReplayCommand.DIFFERENT);
            assertThat(audit.outLines().get(0))
                    .startsWith("sweep=" + published.sweepId() + " differs fields=pickLr")
                    .contains("published.pickLr=0.5");
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) {
        send(producer, key, value, Topics.SWEEP_EVENTS);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value,
            String topic) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }
}
