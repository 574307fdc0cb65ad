package io.lrscope.agent.confirm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.agent.KafkaSweepSink;
import io.lrscope.agent.SweepSettings;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.EventJson;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real confirm runs against the embedded KRaft broker: on the sweep's key, in order, valid. */
class KafkaConfirmIT {

    @TempDir
    Path dataDir;

    @Test
    void confirmRunsArriveOnTheSweepsKeyInOneOrderedPartition() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            try (Admin admin = kafka.admin()) {
                Topics.ensure(admin, 3, (short) 1);
            }
            SweepSettings sweep = SweepSettings.defaults().withSweepId("kc1");
            ConfirmSettings settings = ConfirmSettings.defaults().withSteps(40);
            try (KafkaSweepSink sink = new KafkaSweepSink(kafka.bootstrapServers())) {
                new ConfirmRunner(sweep, settings, sink).run(0.05);
            }

            List<ConsumerRecord<String, byte[]>> records =
                    readUntil(kafka.bootstrapServers(), 3 * (40 + 2));

            assertThat(records).allMatch(r -> "kc1".equals(r.key()));
            assertThat(records.stream().map(ConsumerRecord::partition).collect(
                    Collectors.toSet())).hasSize(1);
            List<SweepEvent> events = records.stream()
                    .map(r -> EventJson.decodeEvent(r.value())).toList();
            assertThat(events.get(0)).isInstanceOf(ConfirmStarted.class);
            assertThat(events.get(41)).isInstanceOf(ConfirmEnded.class);
            assertThat(events.subList(1, 41)).allMatch(e -> e instanceof ConfirmStepObserved);
            assertThat(events.subList(1, 41)).extracting(e -> ((ConfirmStepObserved) e).step())
                    .containsExactlyElementsOf(
                            LongStream.range(0, 40).boxed().toList());
            assertThat(events.stream().filter(ConfirmEnded.class::isInstance)
                    .map(e -> ((ConfirmEnded) e).runId()).toList())
                    .containsExactly("x0.3", "x1", "x3");
            assertThat(events.stream().filter(ConfirmEnded.class::isInstance)
                    .map(e -> ((ConfirmEnded) e).outcome()).collect(Collectors.toSet()))
                    .isEqualTo(Set.of(ConfirmEnded.Outcome.COMPLETED));
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-confirm-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SWEEP_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
