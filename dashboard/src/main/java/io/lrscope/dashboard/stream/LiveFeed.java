package io.lrscope.dashboard.stream;

import io.lrscope.analyzer.curve.SmoothedPoint;
import io.lrscope.dashboard.state.ConfirmRunView;
import io.lrscope.dashboard.state.ConfirmRunsView;
import io.lrscope.dashboard.state.PlotPoint;
import io.lrscope.dashboard.state.SweepBoard;
import io.lrscope.dashboard.state.SweepView;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepEvent;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records into what open pages see: applies each batch to the {@link SweepBoard} and
 * pushes the new points to the streams at once, then, on a short tick, the derived state that
 * is cheaper to send in bulk (smoothed line, list rows, statuses that went stale).
 *
 * <h2>Stream protocol</h2>
 * A sweep stream sends {@code sweep}, {@code recommendation} and {@code smoothed} snapshots
 * when it opens, then {@code points} events whose SSE id is the seq of their last point.
 * Points carry ids; nothing else does, because everything else is resent whole on reconnect.
 * A client resuming with Last-Event-ID {@code n} gets exactly the points with seq &gt; n.
 * {@code smoothed} is a delta: drop the client's smoothed points from index {@code from}, then
 * append {@code points}; every client of a sweep receives the same deltas in the same order.
 * {@code confirm} carries the confirm runs the same way: a snapshot on open, then appends.
 */
public final class LiveFeed {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** Points per {@code points} event when a client catches up on a long history. */
    static final int MAX_POINTS_PER_EVENT = 2_000;

    private final SweepBoard board;
    private final SseHub hub;
    private final Map<String, List<SmoothedPoint>> publishedSmoothed = new HashMap<>();
    private final Map<String, String> publishedStatus = new HashMap<>();
    private final Set<String> dirtySummaries = new LinkedHashSet<>();
    private final Map<String, ResumeRecord> lastResume = new ConcurrentHashMap<>();
    private final Set<String> dirtyConfirm = new LinkedHashSet<>();
    private final Map<String, Map<String, Published>> publishedConfirm = new HashMap<>();

    /** What the followers of a sweep were last sent of one confirm run. */
    private record Published(int points, int validation, ConfirmRunView.Header header) {}

    /** Where the latest reconnect of a sweep's stream resumed, and how the id was sent. */
    public record ResumeRecord(long afterId, String source) {}

    public LiveFeed(SweepBoard board, SseHub hub) {
        this.board = board;
        this.hub = hub;
    }

    public SweepBoard board() {
        return board;
    }

    public SseHub hub() {
        return hub;
    }

    /** The latest resume of a sweep's stream (for operators and tests), or null. */
    public ResumeRecord lastResume(String sweepId) {
        return lastResume.get(sweepId);
    }

    /** Applies one batch from the topics and sends its new points and recommendations. */
    public void apply(List<Object> batch) {
        Map<String, List<PlotPoint>> newPoints = new LinkedHashMap<>();
        for (Object item : batch) {
            if (item instanceof SweepEvent event) {
                List<PlotPoint> points = board.applyAll(event);
                dirtySummaries.add(event.sweepId());
                if (event instanceof ConfirmEvent) {
                    dirtyConfirm.add(event.sweepId());
                }
                if (!points.isEmpty()) {
                    newPoints.computeIfAbsent(event.sweepId(), id -> new ArrayList<>())
                            .addAll(points);
                }
            } else if (item instanceof Recommendation recommendation) {
                if (board.apply(recommendation)) {
                    dirtySummaries.add(recommendation.sweepId());
                    String frame = SseClient.frame(
                            "recommendation", null, EventJson.toJson(recommendation));
                    List.copyOf(hub.following(recommendation.sweepId()))
                            .forEach(c -> c.sendFrame(frame));
                }
            }
        }
        newPoints.forEach(this::broadcastPoints);
    }

    /** Serializes once for every client that is up to date; others get their own tail. */
    private void broadcastPoints(String sweepId, List<PlotPoint> points) {
        Set<SseClient> clients = hub.following(sweepId);
        if (clients.isEmpty()) {
            return;
        }
        long firstSeq = points.get(0).seq();
        String shared = points.size() <= MAX_POINTS_PER_EVENT
                ? SseClient.frame("points", Long.toString(points.get(points.size() - 1).seq()),
                        EventJson.toJson(Map.of("sweepId", sweepId, "points", points)))
                : null;
        for (SseClient client : List.copyOf(clients)) {
            if (shared != null && client.lastSentSeq() < firstSeq) {
                if (client.sendFrame(shared)) {
                    client.sentUpTo(points.get(points.size() - 1).seq());
                }
            } else {
                sendPoints(client, sweepId, points);
            }
        }
    }

    /** The periodic flush: smoothed and confirm deltas, changed list rows, stale transitions. */
    public void tick() {
        for (String sweepId : List.copyOf(hub.followedSweeps())) {
            board.sweep(sweepId).ifPresent(this::maybeSendSmoothed);
        }
        for (String sweepId : dirtyConfirm) {
            board.sweep(sweepId).ifPresent(this::sendConfirmDelta);
        }
        dirtyConfirm.clear();
        for (SweepView view : board.sweeps()) {
            String status = board.status(view).wireName();
            if (!status.equals(publishedStatus.get(view.sweepId()))) {
                dirtySummaries.add(view.sweepId());
            }
        }
        if (dirtySummaries.isEmpty()) {
            return;
        }
        for (String sweepId : dirtySummaries) {
            SweepView view = board.sweep(sweepId).orElse(null);
            if (view == null) {
                continue;
            }
            var summary = board.summary(view);
            publishedStatus.put(sweepId, summary.status());
            String frame = SseClient.frame("sweep", null, EventJson.toJson(summary));
            List.copyOf(hub.listClients()).forEach(c -> c.sendFrame(frame));
            List.copyOf(hub.following(sweepId)).forEach(c -> c.sendFrame(frame));
        }
        dirtySummaries.clear();
    }

    /** Opens the sweeps-list stream: a snapshot of every row, then changed rows. */
    public void openList(HttpServerResponse response) {
        SseClient client = hub.open(response, null, -1);
        client.send("sweeps", null, EventJson.toJson(Map.of("sweeps", board.summaries())));
    }

    /**
     * Opens a sweep's stream: snapshots, then the points after {@code lastEventId} (all of them
     * when null), then live points.
     *
     * @param source where the id came from ({@code header}, {@code query}), for the log
     */
    public void openSweep(HttpServerResponse response, SweepView view, Long lastEventId,
            String source) {
        String sweepId = view.sweepId();
        long after = lastEventId == null ? -1 : Math.min(lastEventId, view.lastSeq());
        if (lastEventId != null) {
            lastResume.put(sweepId, new ResumeRecord(lastEventId, source));
            log.info("sse resume sweep={} afterId={} source={} lastSeq={} sending={}",
                    sweepId, lastEventId, source, view.lastSeq(), view.lastSeq() - after);
        }
        if (!hub.hasFollowers(sweepId) || !publishedSmoothed.containsKey(sweepId)) {
            publishedSmoothed.put(sweepId, List.copyOf(view.smoothed(board.analyzer())));
        }
        SseClient client = hub.open(response, sweepId, after);
        client.send("sweep", null, EventJson.toJson(board.summary(view)));
        if (view.recommendation() != null) {
            client.send("recommendation", null, EventJson.toJson(view.recommendation()));
        }
        client.send("smoothed", null, smoothedJson(sweepId, 0, publishedSmoothed.get(sweepId)));
        if (!view.confirmRuns().isEmpty()) {
            client.send("confirm", null, confirmJson(sweepId, view.confirmRuns()));
        }
        sendPoints(client, sweepId, view.pointsAfter(after));
    }

    /**
     * A sweep's confirm runs whole, each as an append from index 0: what {@code GET
     * /api/sweeps/{id}/confirm} answers and what a stream sends when it opens.
     */
    public static String confirmJson(String sweepId, ConfirmRunsView runs) {
        List<Map<String, Object>> deltas = new ArrayList<>();
        for (ConfirmRunView run : runs.runs()) {
            deltas.add(delta(run, 0, 0));
        }
        return confirmMessage(sweepId, deltas);
    }

    /**
     * Sends each changed run's new points as an append: the client drops its points from index
     * {@code from} (and validation points from {@code validationFrom}) and appends these, so a
     * delta that overlaps a snapshot the client already holds changes nothing.
     */
    private void sendConfirmDelta(SweepView view) {
        Map<String, Published> published =
                publishedConfirm.computeIfAbsent(view.sweepId(), id -> new HashMap<>());
        List<Map<String, Object>> deltas = new ArrayList<>();
        for (ConfirmRunView run : view.confirmRuns().runs()) {
            Published last = published.getOrDefault(run.runId(), new Published(0, 0, null));
            ConfirmRunView.Header header = run.header();
            if (last.points() == run.points().size()
                    && last.validation() == run.validation().size()
                    && header.equals(last.header())) {
                continue;
            }
            deltas.add(delta(run, last.points(), last.validation()));
            published.put(run.runId(),
                    new Published(run.points().size(), run.validation().size(), header));
        }
        Set<SseClient> clients = hub.following(view.sweepId());
        if (deltas.isEmpty() || clients.isEmpty()) {
            return;
        }
        String frame = SseClient.frame("confirm", null, confirmMessage(view.sweepId(), deltas));
        List.copyOf(clients).forEach(c -> c.sendFrame(frame));
    }

    private static String confirmMessage(String sweepId, List<Map<String, Object>> runs) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("sweepId", sweepId);
        message.put("runs", runs);
        return EventJson.toJson(message);
    }

    private static Map<String, Object> delta(ConfirmRunView run, int from, int validationFrom) {
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("run", run.header());
        delta.put("from", from);
        delta.put("points", run.points().subList(from, run.points().size()));
        delta.put("validationFrom", validationFrom);
        delta.put("validation",
                run.validation().subList(validationFrom, run.validation().size()));
        return delta;
    }

    /** Ends every open stream (clients reconnect and resume); returns how many were open. */
    public int disconnectAll() {
        int closed = hub.closeAll();
        log.info("sse streams closed by request count={}", closed);
        return closed;
    }

    private void sendPoints(SseClient client, String sweepId, List<PlotPoint> points) {
        List<PlotPoint> fresh =
                points.stream().filter(p -> p.seq() > client.lastSentSeq()).toList();
        for (int from = 0; from < fresh.size(); from += MAX_POINTS_PER_EVENT) {
            List<PlotPoint> chunk =
                    fresh.subList(from, Math.min(fresh.size(), from + MAX_POINTS_PER_EVENT));
            long lastSeq = chunk.get(chunk.size() - 1).seq();
            String json = EventJson.toJson(Map.of("sweepId", sweepId, "points", chunk));
            if (!client.send("points", Long.toString(lastSeq), json)) {
                return;
            }
            client.sentUpTo(lastSeq);
        }
    }

    private void maybeSendSmoothed(SweepView view) {
        if (!view.smoothedStale()) {
            return;
        }
        List<SmoothedPoint> next = List.copyOf(view.smoothed(board.analyzer()));
        List<SmoothedPoint> previous = publishedSmoothed.getOrDefault(view.sweepId(), List.of());
        int common = 0;
        int limit = Math.min(previous.size(), next.size());
        while (common < limit && previous.get(common).equals(next.get(common))) {
            common++;
        }
        publishedSmoothed.put(view.sweepId(), next);
        if (common == previous.size() && common == next.size()) {
            return;
        }
        String frame = SseClient.frame("smoothed", null,
                smoothedJson(view.sweepId(), common, next.subList(common, next.size())));
        List.copyOf(hub.following(view.sweepId())).forEach(c -> c.sendFrame(frame));
    }

    private static String smoothedJson(String sweepId, int from, List<SmoothedPoint> points) {
        return EventJson.toJson(Map.of("sweepId", sweepId, "from", from, "points", points));
    }
}
