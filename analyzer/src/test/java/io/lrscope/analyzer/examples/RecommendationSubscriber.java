package io.lrscope.analyzer.examples;

import io.lrscope.events.EventJson;
import io.lrscope.events.InvalidEventException;
import io.lrscope.events.Recommendation;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Prints each sweep's final recommended LR; copy it into any service (SUBSCRIBING.md). */
public final class RecommendationSubscriber {

    public static void main(String[] args) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", args.length > 0 ? args[0] : "127.0.0.1:9092",
                "group.id", "my-service",              // your service's own group
                "isolation.level", "read_committed",   // the analyzer writes transactions
                "auto.offset.reset", "earliest");      // compacted: the latest one per sweep
        try (var consumer = new KafkaConsumer<>(
                config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RECOMMENDATIONS));
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    try {
                        Recommendation r = EventJson.decodeRecommendation(record.value());
                        if (r.isFinal()) {      // running ones come while the sweep goes on
                            System.out.println(r.sweepId() + " " + r.verdict() + " pickLr="
                                    + r.pickLr() + " (null: " + r.reason() + ")");
                        }
                    } catch (InvalidEventException e) {
                        System.err.println("skipped " + record.key() + ": " + e.getMessage());
                    }
                }
            }
        }
    }
}
