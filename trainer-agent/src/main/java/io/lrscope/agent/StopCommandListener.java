package io.lrscope.agent;

import io.lrscope.events.EventJson;
import io.lrscope.events.InvalidEventException;
import io.lrscope.events.StopSweep;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@link Topics#CONTROL} for {@code StopSweep} commands to one sweep and hands each to
 * {@code onStop} (typically {@link SweepRunner#requestStop}), on its own thread.
 *
 * <p>It reads every partition without a consumer group and starts at the current end: the
 * constructor returns only once those positions are fixed, so a command sent after it returns
 * is seen and one left over from an earlier sweep is not. If the topic does not exist yet, the
 * thread waits for it and then reads it from the beginning (everything in it is then new).
 * Commands for other sweeps are skipped; records that do not decode are logged and skipped.
 */
public final class StopCommandListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopCommandListener.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String sweepId;
    private final Consumer<StopSweep> onStop;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean assigned;

    public StopCommandListener(
            String bootstrapServers, String sweepId, Consumer<StopSweep> onStop) {
        this.sweepId = sweepId;
        this.onStop = onStop;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lrscope-agent-control-" + sweepId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            assigned = assignAll(false);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw new IllegalStateException("cannot read " + Topics.CONTROL + " at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
        if (!assigned) {
            LOG.warn("sweep={} topic {} does not exist yet; stop commands are read once it "
                    + "does (create the topics before sweeps)", sweepId, Topics.CONTROL);
        }
        this.thread = new Thread(this::listen, "lrscope-stop-listener-" + sweepId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Assigns every partition; true when the topic exists. Starts at the end or beginning. */
    private boolean assignAll(boolean fromBeginning) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.CONTROL, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position); // resolve the seek now, not at the first poll
        return true;
    }

    private void listen() {
        try {
            while (running) {
                if (!assigned) {
                    assigned = assignAll(true);
                    if (!assigned) {
                        Thread.sleep(POLL.toMillis());
                        continue;
                    }
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("sweep={} stop listener failed; stop commands are no longer seen: {}",
                        sweepId, e.toString(), e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        StopSweep stop;
        try {
            stop = EventJson.decodeStop(record.value());
        } catch (InvalidEventException e) {
            LOG.warn("sweep={} ignoring undecodable control record partition={} offset={}: {}",
                    sweepId, record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (!sweepId.equals(stop.sweepId())) {
            return;
        }
        LOG.info("sweep={} stop command received reason=\"{}\" atStep={}",
                sweepId, stop.reason(), stop.atStep());
        onStop.accept(stop);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
