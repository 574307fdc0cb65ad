package io.lrscope.dashboard;

import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.dashboard.http.DashboardVerticle;
import io.lrscope.dashboard.http.StopPublisher;
import io.lrscope.dashboard.ingest.TopicReader;
import io.lrscope.dashboard.state.SweepBoard;
import io.lrscope.dashboard.stream.LiveFeed;
import io.lrscope.dashboard.stream.SseHub;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: reads the sweep-events and recommendations topics from the beginning,
 * keeps every sweep's curve in memory and serves the page, the REST API and the SSE streams.
 *
 * <pre>{@code
 * try (DashboardServer dashboard = new DashboardServer(new DashboardConfig(bootstrap, null, 0,
 *         null))) {
 *     dashboard.start();
 *     System.out.println(dashboard.pageUrl());
 * }
 * }</pre>
 *
 * <p>The smoothed line is the analyzer's ({@link CurveAnalyzer} with default settings), so the
 * page draws exactly what the recommendation was computed from.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    private static final long START_TIMEOUT_SECONDS = 30;

    private final DashboardConfig config;
    private final Clock clock;
    private Vertx vertx;
    private DashboardVerticle verticle;
    private LiveFeed feed;
    private TopicReader reader;
    private StopPublisher stopPublisher;
    private int port = -1;

    public DashboardServer(DashboardConfig config) {
        this(config, Clock.systemUTC());
    }

    /** With an injected clock, for tests of time-based state (stale sweeps). */
    public DashboardServer(DashboardConfig config, Clock clock) {
        this.config = config.validate();
        this.clock = clock;
    }

    /** Starts reading the topics and serving; blocks until listening. Returns the bound port. */
    public synchronized int start() {
        if (port >= 0) {
            return port;
        }
        vertx = Vertx.vertx();
        SweepBoard board = new SweepBoard(
                clock, config.staleAfter(), new CurveAnalyzer(CurveSettings.defaults()));
        feed = new LiveFeed(board, new SseHub(config.maxSseClients()));
        stopPublisher = new StopPublisher(config.bootstrapServers());
        verticle = new DashboardVerticle(config, feed, stopPublisher,
                () -> reader == null ? 0 : reader.skipped());
        try {
            await(vertx.deployVerticle(verticle));
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot listen on " + config.host() + ":"
                    + config.port() + ": " + rootMessage(e), e);
        }
        port = verticle.port();
        reader = new TopicReader(config.bootstrapServers(), verticle.eventLoop(), feed::apply);
        reader.start();
        log.info("dashboard listening url={} bootstrap={} token={} maxSseClients={} staleAfter={}",
                url(), config.bootstrapServers(), config.token() == null ? "none" : "required",
                config.maxSseClients(), config.staleAfter());
        return port;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port + "/";
    }

    /**
     * The address to open in a browser: {@link #url()} plus {@code #token=...} when a token is
     * set. The fragment never reaches the server or its logs; the page reads it.
     */
    public String pageUrl() {
        return config.token() == null ? url() : url() + "#token=" + config.token();
    }

    public int port() {
        return port;
    }

    /**
     * Ends every open SSE stream, as a proxy timeout or network blip would. Browsers reconnect
     * by themselves and resume after their last event id. Returns how many were open.
     */
    public int disconnectStreams() {
        return onEventLoop(() -> feed.disconnectAll());
    }

    /** Where the latest reconnect of a sweep's stream resumed (null if none yet). */
    public LiveFeed.ResumeRecord lastResume(String sweepId) {
        return feed.lastResume(sweepId);
    }

    /** How many sweeps are loaded. */
    public int sweepCount() {
        return onEventLoop(() -> feed.board().size());
    }

    /** Total plotted points over all sweeps (for benchmarks and health checks). */
    public long pointCount() {
        return onEventLoop(() -> feed.board().pointCount());
    }

    /** Stops HTTP, the topic reader, the stop producer and Vert.x. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (vertx != null) {
            try {
                if (verticle != null && port >= 0) {
                    onEventLoop(() -> feed.disconnectAll());
                }
                await(vertx.close());
            } catch (RuntimeException e) {
                log.warn("vert.x did not close cleanly reason={}", rootMessage(e));
            }
            vertx = null;
        }
        if (stopPublisher != null) {
            stopPublisher.close();
            stopPublisher = null;
        }
        if (port >= 0) {
            log.info("dashboard stopped port={}", port);
        }
        port = -1;
    }

    private <T> T onEventLoop(Supplier<T> action) {
        if (vertx == null || verticle == null) {
            throw new IllegalStateException("dashboard not started: call start() first");
        }
        Promise<T> promise = Promise.promise();
        verticle.eventLoop().runOnContext(v -> {
            try {
                promise.complete(action.get());
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return await(promise.future());
    }

    private static <T> T await(Future<T> future) {
        CompletableFuture<T> completable = future.toCompletionStage().toCompletableFuture();
        try {
            return completable.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + START_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
