package io.lrscope.dashboard.ingest;

import io.lrscope.analyzer.topology.Decoded;
import io.lrscope.events.EventJson;
import io.lrscope.events.Topics;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the sweep-events and recommendations topics from the beginning, on its own thread, and
 * hands each polled batch, decoded, to the dashboard's event loop.
 *
 * <p>It assigns every partition itself and never joins a consumer group or commits: each
 * dashboard rebuilds its whole view from the topics, so two dashboards never split the records
 * between them. The next poll waits until the event loop has applied the previous batch, so a
 * slow page cannot make records pile up in memory. Undecodable records are logged and skipped.
 */
public final class TopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final List<String> TOPICS = List.of(Topics.SWEEP_EVENTS, Topics.RECOMMENDATIONS);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Context context;
    private final Consumer<List<Object>> handler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long skipped;

    /**
     * @param handler receives each batch on {@code context}, in topic-partition order; items are
     *     validated {@code SweepEvent}s and {@code Recommendation}s
     */
    public TopicReader(String bootstrapServers, Context context, Consumer<List<Object>> handler) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lrscope-dashboard");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(props);
        this.context = context;
        this.handler = handler;
        this.thread = new Thread(this::run, "lrscope-dashboard-reader");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Records skipped because they did not decode or validate. */
    public long skipped() {
        return skipped;
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh || assigned.isEmpty()) {
                    maybeAssignNewPartitions(assigned);
                    nextRefresh = System.nanoTime() + (assigned.size() < TOPICS.size()
                            ? TimeUnit.SECONDS.toNanos(1) : PARTITION_REFRESH.toNanos());
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    deliver(decode(records));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("topic reader woken up unexpectedly; the dashboard stops updating", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("topic reader failed; the dashboard stops updating: restart it", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Adds partitions that appeared (or topics created after the dashboard started). */
    private void maybeAssignNewPartitions(Set<TopicPartition> assigned) {
        Set<TopicPartition> found = new HashSet<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                log.info("waiting for topic={} to exist", topic);
                continue;
            }
            infos.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
        }
        Set<TopicPartition> added = new HashSet<>(found);
        added.removeAll(assigned);
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(assigned);
        consumer.seekToBeginning(added);
        log.info("reading from the beginning partitions={}", added.size());
    }

    private List<Object> decode(ConsumerRecords<byte[], byte[]> records) {
        List<Object> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                if (record.topic().equals(Topics.SWEEP_EVENTS)) {
                    // the analyzer's own admission rule: valid, and keyed by its sweep id
                    Decoded event = Decoded.of(record.key(), record.value());
                    if (!event.isValid()) {
                        throw new IllegalArgumentException(event.reason());
                    }
                    decoded.add(event.event());
                } else if (record.value() != null) {
                    decoded.add(EventJson.decodeRecommendation(record.value()));
                }
            } catch (RuntimeException e) {
                skipped++;
                // the analyzer dead-letters these with their reasons; one WARN per thousand here
                if (skipped % 1000 == 1) {
                    log.warn("skipping invalid record topic={} partition={} offset={} reason={} "
                            + "skippedSoFar={} (details in {})", record.topic(),
                            record.partition(), record.offset(), e.getMessage(), skipped,
                            Topics.DEAD_LETTERS);
                } else {
                    log.debug("skipping invalid record topic={} partition={} offset={} reason={}",
                            record.topic(), record.partition(), record.offset(), e.getMessage());
                }
            }
        }
        return decoded;
    }

    private void deliver(List<Object> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        CompletableFuture<Void> applied = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                handler.accept(batch);
            } catch (RuntimeException e) {
                log.error("bug: applying a batch failed size={}", batch.size(), e);
            } finally {
                applied.complete(null);
            }
        });
        while (running) {
            try {
                applied.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                // the event loop is busy; wait on, but notice close()
            } catch (java.util.concurrent.ExecutionException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
