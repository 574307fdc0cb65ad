package io.lrscope.dashboard;

import java.time.Duration;

/**
 * How the dashboard runs, validated once by {@link #validate()} before anything starts.
 *
 * <p>It binds loopback unless {@code host} says otherwise: the page can stop sweeps, so exposing
 * it is a decision, not a default. With a {@code token}, the API, the streams and Stop require it.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param host interface to bind (default 127.0.0.1)
 * @param port TCP port; 0 picks a free one (default 0)
 * @param token shared secret for the API and Stop; null means none (default null)
 * @param maxSseClients open SSE connections allowed at once; more get 503 (default 500)
 * @param staleAfter a sweep that sent nothing for this long shows as stale (default 60 s)
 */
public record DashboardConfig(
        String bootstrapServers,
        String host,
        int port,
        String token,
        int maxSseClients,
        Duration staleAfter) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_SSE_CLIENTS = 500;
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);

    public DashboardConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        staleAfter = staleAfter == null ? DEFAULT_STALE_AFTER : staleAfter;
    }

    public DashboardConfig(String bootstrapServers, String host, int port, String token) {
        this(bootstrapServers, host, port, token, DEFAULT_MAX_SSE_CLIENTS, DEFAULT_STALE_AFTER);
    }

    public DashboardConfig withMaxSseClients(int max) {
        return new DashboardConfig(bootstrapServers, host, port, token, max, staleAfter);
    }

    public DashboardConfig withStaleAfter(Duration after) {
        return new DashboardConfig(bootstrapServers, host, port, token, maxSseClients, after);
    }

    /** Throws a one-line {@link IllegalArgumentException} naming the first bad field and value. */
    public DashboardConfig validate() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "bootstrapServers=" + bootstrapServers + ": required, e.g. 127.0.0.1:9092");
        }
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(
                    "host=" + host + ": must be a host name or address without spaces");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port=" + port + ": must be in [0, 65535]");
        }
        if (token != null && (token.length() < 8 || !token.matches("[\\x21-\\x7e]+"))) {
            throw new IllegalArgumentException("token=<" + token.length()
                    + " characters>: must be at least 8 printable ASCII characters, no spaces");
        }
        if (maxSseClients < 1 || maxSseClients > 100_000) {
            throw new IllegalArgumentException(
                    "maxSseClients=" + maxSseClients + ": must be in [1, 100000]");
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException(
                    "staleAfter=" + staleAfter + ": must be a positive duration");
        }
        return this;
    }

    /** True when bound to a loopback address only. */
    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
                || host.startsWith("127.");
    }
}
