package io.lrscope.cli;

import io.lrscope.events.EventJson;
import io.lrscope.events.InvalidEventException;
import io.lrscope.events.Recommendation;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the recommendations topic from the beginning, committed records only (the analyzer
 * writes transactionally), without a consumer group: every reader sees every record.
 */
final class RecommendationReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    RecommendationReader(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.RECOMMENDATIONS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once; undecodable records are skipped (they are not this reader's to judge). */
    List<Recommendation> poll(Duration timeout) {
        List<Recommendation> out = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            try {
                out.add(EventJson.decodeRecommendation(record.value()));
            } catch (InvalidEventException e) {
                System.err.println("skipping an unreadable recommendation at offset "
                        + record.offset() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Waits for the first recommendation that matches, or empty after the timeout. */
    Optional<Recommendation> await(Predicate<Recommendation> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Recommendation r : poll(Duration.ofMillis(200))) {
                if (wanted.test(r)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
