package io.lrscope.analyzer.topology;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the analyzer topology as a Kafka Streams application: wires the config, starts, waits
 * until running, and closes cleanly. The topology itself is built by {@link AnalyzerTopology},
 * which tests drive directly.
 */
public final class AnalyzerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnalyzerService.class);

    /** How often offsets, state and outputs commit: recommendations show up this late. */
    static final int COMMIT_INTERVAL_MS = 100;

    private final AnalyzerConfig config;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    public AnalyzerService(AnalyzerConfig config) {
        this.config = config;
        this.streams = new KafkaStreams(
                AnalyzerTopology.build(
                        config.curveSettings(), config.adviceSettings(), config.staleAfter()),
                properties(config));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(Metrics.globalRegistry);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("analyzer stream thread failed; replacing it. error={}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    static Properties properties(AnalyzerConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A crashed instance's partitions move after this silence (Kafka's default is 45 s).
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                8 * 1024 * 1024);
        // Under exactly-once nothing is readable before the commit, so waiting up to the commit
        // interval to fill batches costs no latency and saves sends, wake-ups and broker work.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                config.exactlyOnce() ? COMMIT_INTERVAL_MS : 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        return p;
    }

    /** Starts and waits until the application is running (or fails). */
    public AnalyzerService start(Duration timeout) {
        log.info("analyzer starting applicationId={} bootstrap={} stateDir={} staleAfter={} "
                        + "guarantee={} beta={} betaFast={} divergenceFactor={}",
                config.applicationId(), config.bootstrapServers(), config.stateDir(),
                config.staleAfter(), config.exactlyOnce() ? "exactly_once_v2" : "at_least_once",
                config.curveSettings().beta(), config.curveSettings().betaFast(),
                config.curveSettings().divergenceFactor());
        streams.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("analyzer failed to start: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "analyzer not running after " + timeout + ": " + streams.state());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the analyzer", e);
            }
        }
        log.info("analyzer running applicationId={}", config.applicationId());
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streamsMetrics.close();
        // Leave the group on a clean stop, so a replacement instance takes the partitions over
        // at once instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
        log.info("analyzer stopped applicationId={}", config.applicationId());
    }
}
