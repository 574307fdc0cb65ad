package io.lrscope.analyzer.topology;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the analyzer's metrics for Prometheus at {@code GET /metrics}: events in, dead letters,
 * recommendations and their lag, stop commands, active sweeps, and Kafka Streams' own metrics.
 * It binds loopback unless told otherwise; the numbers say nothing secret, but an open port
 * should be a choice.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** Starts serving; {@code port} 0 picks a free one. */
    public static MetricsEndpoint start(String host, int port) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(registry);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type",
                        "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            MetricsEndpoint endpoint = new MetricsEndpoint(registry, server);
            log.info("analyzer metrics url=http://{}:{}/metrics", host, endpoint.port());
            return endpoint;
        } catch (IOException e) {
            Metrics.removeRegistry(registry);
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The text Prometheus would scrape now. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        server.stop(0);
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
