package io.lrscope.dashboard.stream;

import io.lrscope.analyzer.curve.SmoothedPoint;
import io.lrscope.dashboard.state.PlotPoint;
import io.lrscope.dashboard.state.SweepBoard;
import io.lrscope.dashboard.state.SweepView;
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
                PlotPoint point = board.apply(event);
                dirtySummaries.add(event.sweepId());
                if (point != null) {
                    newPoints.computeIfAbsent(event.sweepId(), id -> new ArrayList<>()).add(point);
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

    /** The periodic flush: smoothed deltas, changed list rows and stale transitions. */
    public void tick() {
        for (String sweepId : List.copyOf(hub.followedSweeps())) {
            board.sweep(sweepId).ifPresent(this::maybeSendSmoothed);
        }
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
        sendPoints(client, sweepId, view.pointsAfter(after));
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
