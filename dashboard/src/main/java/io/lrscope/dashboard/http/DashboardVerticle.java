package io.lrscope.dashboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.analyzer.curve.SmoothedPoint;
import io.lrscope.dashboard.DashboardConfig;
import io.lrscope.dashboard.state.PlotPoint;
import io.lrscope.dashboard.state.SweepBoard;
import io.lrscope.dashboard.state.SweepStatus;
import io.lrscope.dashboard.state.SweepView;
import io.lrscope.dashboard.stream.LiveFeed;
import io.lrscope.dashboard.stream.SseHub;
import io.lrscope.events.EventJson;
import io.lrscope.events.StopSweep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP surface: the page, its static files, the REST API, the SSE streams and
 * Stop. {@link #start()} lists every route, one line each; the handlers below follow in the same
 * order. Handlers fail with an {@link ApiError}; one failure handler writes every JSON error.
 *
 * <p>Everything runs on this verticle's single event loop, which is also where records from
 * the topics are applied, so handlers read the {@link SweepBoard} without locks.
 */
public final class DashboardVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(DashboardVerticle.class);

    /** Largest request body accepted (Stop's optional JSON); larger ones get 413. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** Longest free-text reason a person may attach to Stop. */
    static final int MAX_STOP_REASON = 200;

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    private static final String WEB_ROOT = "io/lrscope/dashboard/web";
    private static final String WEBJARS_ROOT = "META-INF/resources/webjars";

    private final DashboardConfig config;
    private final LiveFeed feed;
    private final SweepBoard board;
    private final StopPublisher stopPublisher;
    private final LongSupplier skippedRecords;
    private final byte[] tokenBytes;
    private final PrometheusMeterRegistry metrics;
    private StaticHandler staticFiles;
    private StaticHandler webjars;
    private BodyHandler bodyLimit;
    private String page;
    private HttpServer server;
    private Set<String> allowedHosts;

    public DashboardVerticle(DashboardConfig config, LiveFeed feed, StopPublisher stopPublisher,
            LongSupplier skippedRecords) {
        this.config = config;
        this.feed = feed;
        this.board = feed.board();
        this.stopPublisher = stopPublisher;
        this.skippedRecords = skippedRecords;
        this.metrics = metrics(feed, skippedRecords);
        this.tokenBytes = config.token() == null
                ? null : config.token().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Future<?> start() {
        page = resource(WEB_ROOT + "/index.html");
        staticFiles = StaticHandler.create(WEB_ROOT).setCachingEnabled(false);
        webjars = StaticHandler.create(WEBJARS_ROOT).setMaxAgeSeconds(86_400);
        bodyLimit = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

        Router router = Router.router(vertx);
        router.route().handler(this::handleSecurityHeaders);
        router.route("/api/*").handler(this::handleAuth);
        router.route("/metrics").handler(this::handleAuth);
        router.get("/").handler(this::handlePage);
        router.get("/static/*").handler(this::handleStatic);
        router.get("/webjars/*").handler(this::handleWebjars);
        router.get("/api/health").handler(this::handleHealth);
        router.get("/metrics").handler(this::handleMetrics);
        router.get("/api/sweeps").handler(this::handleSweeps);
        router.get("/api/sweeps/:id").handler(this::handleSweep);
        router.get("/api/sweeps/:id/points").handler(this::handlePoints);
        router.get("/api/sweeps/:id/confirm").handler(this::handleConfirm);
        router.get("/api/sweeps/:id/stream").handler(this::handleSweepStream);
        router.post("/api/sweeps/:id/stop").handler(this::handleBodyLimit);
        router.post("/api/sweeps/:id/stop").handler(this::handleStop);
        router.get("/api/recommendations").handler(this::handleRecommendations);
        router.get("/api/stream").handler(this::handleListStream);
        router.route().last().handler(this::handleNotFound);
        router.route().failureHandler(this::handleFailure);

        vertx.setPeriodic(100, id -> feed.tick());
        vertx.setPeriodic(15_000, id -> feed.hub().heartbeat());

        return vertx.createHttpServer(new HttpServerOptions()
                        .setHost(config.host())
                        .setPort(config.port())
                        .setCompressionSupported(false))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> {
                    server = s;
                    allowedHosts = Set.of("127.0.0.1:" + s.actualPort(),
                            "localhost:" + s.actualPort(), "[::1]:" + s.actualPort());
                });
    }

    /** The bound port; valid once {@link #start()} completed. */
    public int port() {
        return server.actualPort();
    }

    public io.vertx.core.Context eventLoop() {
        return context;
    }

    // --- handlers, in route order ---

    private void handleSecurityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        String host = ctx.request().getHeader("Host");
        if (config.loopbackOnly() && host != null
                && !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            // A page on another site that resolves its name to 127.0.0.1 (DNS rebinding)
            // must not read the API or press Stop.
            ctx.fail(new ApiError(421, "Host=" + host + ": this dashboard answers only to "
                    + "127.0.0.1, localhost or [::1] on port " + port()));
            return;
        }
        ctx.next();
    }

    private void handleAuth(RoutingContext ctx) {
        if (tokenBytes == null) {
            ctx.next();
            return;
        }
        String presented = null;
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else if (ctx.request().getParam("token") != null) {
            presented = ctx.request().getParam("token");
        }
        if (presented == null || !MessageDigest.isEqual(
                tokenBytes, presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"lrscope\"");
            ctx.fail(new ApiError(401, presented == null
                    ? "token required: send 'Authorization: Bearer TOKEN' or ?token=TOKEN"
                    : "token rejected: it does not match the dashboard's --token"));
            return;
        }
        ctx.next();
    }

    private void handlePage(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(page);
    }

    private void handleStatic(RoutingContext ctx) {
        staticFiles.handle(ctx);
    }

    private void handleWebjars(RoutingContext ctx) {
        webjars.handle(ctx);
    }

    /**
     * The dashboard's gauges, read on the event loop at scrape time, where the board and the
     * stream hub live, so nothing is shared across threads.
     */
    private static PrometheusMeterRegistry metrics(LiveFeed feed, LongSupplier skipped) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("lrscope.dashboard.sse.clients", feed.hub(), SseHub::open)
                .description("open Server-Sent Events streams").register(registry);
        Gauge.builder("lrscope.dashboard.sweeps", feed.board(), SweepBoard::size)
                .description("sweeps loaded from the topics").register(registry);
        Gauge.builder("lrscope.dashboard.points", feed.board(), SweepBoard::pointCount)
                .description("points plotted over all sweeps").register(registry);
        Gauge.builder("lrscope.dashboard.skipped.records", skipped, LongSupplier::getAsLong)
                .description("records skipped as invalid (the analyzer dead-letters them)")
                .register(registry);
        return registry;
    }

    private void handleMetrics(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape());
    }

    private void handleHealth(RoutingContext ctx) {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("sweeps", board.size());
        health.put("sseClients", feed.hub().open());
        health.put("maxSseClients", feed.hub().maxClients());
        health.put("skippedRecords", skippedRecords.getAsLong());
        json(ctx, 200, health);
    }

    private void handleSweeps(RoutingContext ctx) {
        json(ctx, 200, Map.of("sweeps", board.summaries()));
    }

    private void handleSweep(RoutingContext ctx) {
        SweepView view = requireSweep(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sweep", board.summary(view));
        body.put("config", view.config());
        body.put("recommendation", view.recommendation());
        body.put("lastEventId", view.lastSeq());
        json(ctx, 200, body);
    }

    private void handlePoints(RoutingContext ctx) {
        SweepView view = requireSweep(ctx);
        long after = parseId("after", ctx.request().getParam("after"), -1L);
        List<PlotPoint> points = view.pointsAfter(after);
        List<SmoothedPoint> smoothed = view.smoothed(board.analyzer());
        if ("csv".equals(ctx.request().getParam("format"))) {
            ctx.response()
                    .putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"points.csv\"")
                    .end(csv(points, smoothed));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sweepId", view.sweepId());
        body.put("lastEventId", view.lastSeq());
        body.put("points", points);
        body.put("smoothed", smoothed);
        json(ctx, 200, body);
    }

    private void handleConfirm(RoutingContext ctx) {
        SweepView view = requireSweep(ctx);
        ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(LiveFeed.confirmJson(view.sweepId(), view.confirmRuns()));
    }

    private void handleSweepStream(RoutingContext ctx) {
        SweepView view = requireSweep(ctx);
        requireStreamRoom();
        String header = ctx.request().getHeader("Last-Event-ID");
        String query = ctx.request().getParam("lastEventId");
        Long lastEventId = null;
        String source = null;
        if (header != null && !header.isBlank()) {
            lastEventId = parseId("Last-Event-ID", header.trim(), null);
            source = "header";
        } else if (query != null && !query.isBlank()) {
            lastEventId = parseId("lastEventId", query.trim(), null);
            source = "query";
        }
        feed.openSweep(ctx.response(), view, lastEventId, source);
    }

    private void handleBodyLimit(RoutingContext ctx) {
        bodyLimit.handle(ctx);
    }

    private void handleStop(RoutingContext ctx) {
        SweepView view = requireSweep(ctx);
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT)
                .startsWith("application/json")) {
            // A cross-site form cannot send JSON without a CORS preflight we never grant.
            throw new ApiError(415, "Content-Type=" + contentType + ": send application/json");
        }
        String reason = stopReason(ctx.body().asString());
        SweepStatus status = board.status(view);
        if (view.ended()) {
            throw new ApiError(409, "sweep " + view.sweepId() + " already ended (status="
                    + status.wireName() + "); nothing to stop");
        }
        Long atStep = view.lastStep() < 0 ? null : view.lastStep();
        StopSweep stop = StopSweep.of(view.sweepId(), reason, atStep, board.nowMillis());
        vertx.executeBlocking(() -> stopPublisher.send(stop).get(15, TimeUnit.SECONDS))
                .onSuccess(sent -> {
                    log.info("stop requested sweep={} atStep={} reason={}",
                            sent.sweepId(), sent.atStep(), sent.reason());
                    json(ctx, 202, Map.of("stop", sent));
                })
                .onFailure(e -> ctx.fail(new ApiError(503,
                        "could not send the stop command to Kafka: " + e.getMessage())));
    }

    private void handleRecommendations(RoutingContext ctx) {
        json(ctx, 200, Map.of("recommendations", board.recommendations()));
    }

    private void handleListStream(RoutingContext ctx) {
        requireStreamRoom();
        feed.openList(ctx.response());
    }

    private void handleNotFound(RoutingContext ctx) {
        ctx.fail(new ApiError(404, "no such page or API: " + ctx.request().method() + " "
                + ctx.request().path()));
    }

    private void handleFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        String message;
        if (failure instanceof ApiError error) {
            status = error.status();
            message = error.getMessage();
        } else if (ctx.statusCode() == 413) {
            status = 413;
            message = "request body larger than " + MAX_BODY_BYTES + " bytes";
        } else if (ctx.statusCode() > 0 && failure == null) {
            status = ctx.statusCode();
            message = "request failed with status " + status;
        } else {
            status = 500;
            message = "internal error; see the dashboard log";
            log.error("bug: request failed method={} path={}",
                    ctx.request().method(), ctx.request().path(), failure);
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        json(ctx, status, Map.of("error", message, "status", status));
    }

    // --- helpers ---

    private SweepView requireSweep(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        return board.sweep(id).orElseThrow(() -> new ApiError(404, "no sweep with id=" + id));
    }

    private void requireStreamRoom() {
        if (feed.hub().full()) {
            throw new ApiError(503, "too many open streams (max " + feed.hub().maxClients()
                    + "); close other dashboard tabs or raise maxSseClients");
        }
    }

    private static Long parseId(String field, String value, Long absent) {
        if (value == null) {
            return absent;
        }
        try {
            long id = Long.parseLong(value);
            if (id < -1) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new ApiError(400, field + "=" + abbreviate(value)
                    + ": must be an integer >= -1 (the seq of the last point received)");
        }
    }

    private static String stopReason(String body) {
        String text = "stopped from the dashboard";
        if (body == null || body.isBlank()) {
            return text;
        }
        JsonNode json;
        try {
            json = EventJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "body is not JSON: send {} or {\"reason\": \"...\"}");
        }
        JsonNode reason = json == null ? null : json.get("reason");
        if (reason == null || reason.isNull()) {
            return text;
        }
        if (!reason.isTextual() || reason.asText().length() > MAX_STOP_REASON) {
            throw new ApiError(400, "reason=" + abbreviate(reason.toString())
                    + ": must be text of at most " + MAX_STOP_REASON + " characters");
        }
        return reason.asText().isBlank() ? text : text + ": " + reason.asText().strip();
    }

    private static String csv(List<PlotPoint> points, List<SmoothedPoint> smoothed) {
        Map<Long, Double> smoothedByStep = new HashMap<>();
        smoothed.forEach(s -> smoothedByStep.put(s.step(), s.smoothed()));
        StringBuilder out = new StringBuilder("step,lr,loss,smoothed\n");
        for (PlotPoint p : points) {
            Double s = smoothedByStep.get(p.step());
            out.append(p.step()).append(',').append(p.lr()).append(',').append(p.loss())
                    .append(',').append(s == null ? "" : s.toString()).append('\n');
        }
        return out.toString();
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(EventJson.toJson(body));
    }

    private static String abbreviate(String value) {
        String line = value.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }

    private static String resource(String path) {
        try (InputStream in = DashboardVerticle.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("bug: " + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
