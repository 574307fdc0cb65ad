package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.curve.CurveSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How an analyzer instance runs. Instances with the same {@code applicationId} share the events
 * topic's partitions between them (one Streams application); the state dir must be private to
 * the instance.
 *
 * @param bootstrapServers Kafka brokers, host:port[,host:port]
 * @param applicationId Streams application id (default {@value #DEFAULT_APPLICATION_ID})
 * @param stateDir where RocksDB state lives; rebuilt from changelogs when lost
 * @param staleAfter a sweep silent this long is finalised with the points it has (default 30 s)
 * @param exactlyOnce exactly_once_v2 (default) or at_least_once
 */
public record AnalyzerConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        CurveSettings curveSettings,
        AdviceSettings adviceSettings,
        Duration staleAfter,
        boolean exactlyOnce) {

    public static final String DEFAULT_APPLICATION_ID = "lrscope-analyzer";
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);

    public AnalyzerConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "bootstrapServers=" + bootstrapServers + ": required, e.g. 127.0.0.1:9092");
        }
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "applicationId=" + applicationId + ": letters, digits, '.', '_' or '-' only");
        }
        if (stateDir == null) {
            throw new IllegalArgumentException("stateDir=null: required");
        }
        if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter=" + staleAfter + ": must be > 0");
        }
    }

    public static AnalyzerConfig defaults(String bootstrapServers, Path stateDir) {
        return new AnalyzerConfig(bootstrapServers, DEFAULT_APPLICATION_ID, stateDir,
                CurveSettings.defaults(), AdviceSettings.defaults(), DEFAULT_STALE_AFTER, true);
    }
}
