package io.lrscope.dashboard.http;

import io.lrscope.events.EventJson;
import io.lrscope.events.StopSweep;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the page's Stop requests to the control topic, keyed by sweep id like every other
 * record of the sweep. Created on first use, so a dashboard nobody stops from holds no producer.
 */
public final class StopPublisher implements AutoCloseable {

    private final String bootstrapServers;
    private KafkaProducer<String, byte[]> producer;

    public StopPublisher(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Completes once the broker has acknowledged the command. May block briefly: call off-loop. */
    public synchronized CompletableFuture<StopSweep> send(StopSweep stop) {
        stop.validate();
        CompletableFuture<StopSweep> acked = new CompletableFuture<>();
        producer().send(
                new ProducerRecord<>(Topics.CONTROL, stop.sweepId(), EventJson.encode(stop)),
                (metadata, error) -> {
                    if (error != null) {
                        acked.completeExceptionally(error);
                    } else {
                        acked.complete(stop);
                    }
                });
        return acked;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "lrscope-dashboard-stop");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
