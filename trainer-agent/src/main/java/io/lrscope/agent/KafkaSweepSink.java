package io.lrscope.agent;

import io.lrscope.events.EventJson;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes sweep events to {@link Topics#SWEEP_EVENTS}, keyed by sweep id so one sweep's events
 * stay in order on one partition. The producer is idempotent with {@code acks=all}: a retried
 * send never duplicates or reorders a step.
 *
 * <p>A broker that is unreachable for a few seconds loses and duplicates nothing: sends queue up
 * and are retried in order within {@link #DELIVERY_TIMEOUT} (tested by stopping and restarting
 * the broker mid-sweep). Steps may pause while the producer waits for fresh metadata, up to
 * {@link #MAX_BLOCK}; an outage longer than that fails the sweep. Sends are asynchronous (a
 * step does not wait for the broker), but encoding and handing a record to the producer happen
 * on the caller's thread: put a {@link SweepPublisher} in front to keep them off the training
 * thread and to send several steps per record. The first delivery failure is kept and thrown
 * by the next {@link #publish} or {@link #flush}, so a sweep whose events are being lost fails
 * instead of running on unseen.
 */
public final class KafkaSweepSink implements SweepSink {

    /** How long a send may wait for broker metadata before the sweep fails. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(15);
    /**
     * How long a step may wait for the broker before the sweep fails; retries are unlimited
     * inside it and idempotence keeps them from duplicating a step.
     */
    static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);

    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrapServers;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaSweepSink(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lrscope-agent");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        // Kafka's default: a broker restart (4-10 s here) is retried, not a failed sweep.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(
                props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(SweepEvent event) {
        throwIfFailed();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.SWEEP_EVENTS, event.sweepId(), EventJson.encode(event));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("cannot publish to " + Topics.SWEEP_EVENTS + " at "
                    + bootstrapServers + ": " + error.getMessage()
                    + " (is the broker up and the topic created?)", error);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
