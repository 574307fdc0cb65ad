package io.lrscope.analyzer.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The analyzer's own meters, on Micrometer's global registry so that processors need no wiring:
 * whoever serves metrics ({@code serve-analyzer --metrics-port}) adds a Prometheus registry to
 * the global one. With no registry added, recording costs next to nothing.
 *
 * <p>Recommendation lag is measured from the Kafka timestamp of the record that caused the
 * recommendation (the agent's send time) to the moment the analyzer forwards it.
 */
final class AnalyzerMetrics {

    static final Counter EVENTS_IN = Counter.builder("lrscope.analyzer.events.in")
            .description("valid sweep event records taken in").register(Metrics.globalRegistry);

    static final Counter DEAD_LETTERS = Counter.builder("lrscope.analyzer.dead.letters")
            .description("records sent to the dead-letter topic").register(Metrics.globalRegistry);

    static final Counter RECOMMENDATIONS = Counter.builder("lrscope.analyzer.recommendations")
            .description("recommendations published").register(Metrics.globalRegistry);

    static final Counter STOPS = Counter.builder("lrscope.analyzer.stop.commands")
            .description("stop commands sent on divergence").register(Metrics.globalRegistry);

    static final Timer RECOMMENDATION_LAG = Timer.builder("lrscope.analyzer.recommendation.lag")
            .description("from the causing record's timestamp to the recommendation")
            .publishPercentiles(0.5, 0.99)
            .register(Metrics.globalRegistry);

    /** Running sweeps per stream task; the gauge sums them. */
    private static final Map<String, Map<String, ?>> RUNNING = new ConcurrentHashMap<>();

    static {
        Gauge.builder("lrscope.analyzer.sweeps.active", RUNNING,
                        tasks -> tasks.values().stream().mapToInt(Map::size).sum())
                .description("sweeps not yet final, over this instance's tasks")
                .register(Metrics.globalRegistry);
    }

    private AnalyzerMetrics() {}

    static void trackRunning(String taskId, Map<String, ?> running) {
        RUNNING.put(taskId, running);
    }

    static void untrackRunning(String taskId) {
        RUNNING.remove(taskId);
    }

    static void recommendationSent(long causeTimestamp, long nowMillis) {
        RECOMMENDATIONS.increment();
        if (causeTimestamp > 0 && nowMillis > causeTimestamp) {
            RECOMMENDATION_LAG.record(Duration.ofMillis(nowMillis - causeTimestamp));
        }
    }
}
