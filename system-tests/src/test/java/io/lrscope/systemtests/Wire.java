package io.lrscope.systemtests;

import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The tests' own Kafka clients: a raw producer (hostile bytes need raw keys and values) and a
 * committed-only reader of a whole topic. The analyzer writes transactionally, so readers use
 * {@code read_committed} and never count records by offsets.
 */
final class Wire {

    private Wire() {}

    /** Idempotent, acks=all, retries: what the agent's sink uses; big enough for 1 MB values. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads one topic from a starting position, committed records only, without a group. */
    static final class Reader implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;

        /** From the beginning of every partition. */
        Reader(String bootstrap, String topic) {
            this(bootstrap, topic, null);
        }

        /** From {@code start} (partition → offset); null means from the beginning. */
        Reader(String bootstrap, String topic, Map<Integer, Long> start) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            if (start != null) {
                start.forEach((p, offset) -> consumer.seek(new TopicPartition(topic, p), offset));
            }
        }

        /** The current end of each partition: a reader started there sees only what comes next. */
        static Map<Integer, Long> endOffsets(String bootstrap, String topic) {
            try (Reader reader = new Reader(bootstrap, topic)) {
                Map<Integer, Long> ends = new HashMap<>();
                reader.consumer.endOffsets(reader.consumer.assignment())
                        .forEach((tp, offset) -> ends.put(tp.partition(), offset));
                return ends;
            }
        }

        List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            consumer.poll(timeout).forEach(out::add);
            return out;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Every recommendation published for {@code sweepId} from {@code start}, in order. */
    static final class Recommendations implements AutoCloseable {

        private final Reader reader;
        private final String sweepId;
        private final List<Recommendation> seen = new ArrayList<>();
        private int cursor;

        Recommendations(String bootstrap, String sweepId, Map<Integer, Long> start) {
            this.reader = new Reader(bootstrap, Topics.RECOMMENDATIONS, start);
            this.sweepId = sweepId;
        }

        Recommendations(String bootstrap, String sweepId) {
            this(bootstrap, sweepId, null);
        }

        /** Waits for the first (not yet returned) recommendation that matches. */
        Optional<Recommendation> await(Predicate<Recommendation> wanted, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && sweepId.equals(new String(record.key(),
                            java.nio.charset.StandardCharsets.UTF_8))) {
                        seen.add(EventJson.decodeRecommendation(record.value()));
                    }
                }
                while (cursor < seen.size()) {
                    Recommendation next = seen.get(cursor++);
                    if (wanted.test(next)) {
                        return Optional.of(next);
                    }
                }
            } while (System.nanoTime() < deadline);
            return Optional.empty();
        }

        Recommendation awaitFinal(Duration timeout) {
            return await(Recommendation::isFinal, timeout).orElseThrow(() -> new AssertionError(
                    "no final recommendation for sweep=" + sweepId + " within " + timeout
                            + "; seen " + seen.size() + ": " + (seen.isEmpty()
                            ? "none" : EventJson.toJson(seen.get(seen.size() - 1)))));
        }

        /** Everything read so far for the sweep. */
        List<Recommendation> seen() {
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
