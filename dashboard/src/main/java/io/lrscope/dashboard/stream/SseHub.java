package io.lrscope.dashboard.stream;

import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open SSE connections, by sweep, with a cap on how many may be open at once.
 *
 * <p>Only the event loop touches it. A closed connection is forgotten in its close handler, so
 * broadcasting never writes to a response that is gone.
 */
public final class SseHub {

    private final int maxClients;
    private final Set<SseClient> listClients = new LinkedHashSet<>();
    private final Map<String, Set<SseClient>> sweepClients = new HashMap<>();
    private int open;

    public SseHub(int maxClients) {
        this.maxClients = maxClients;
    }

    public boolean full() {
        return open >= maxClients;
    }

    public int open() {
        return open;
    }

    public int maxClients() {
        return maxClients;
    }

    /**
     * Turns the response into an event stream and registers it.
     *
     * @param sweepId the sweep it follows, or null for the sweeps-list stream
     * @param lastSentSeq the last point seq the client already has (-1: none)
     */
    public SseClient open(HttpServerResponse response, String sweepId, long lastSentSeq) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        SseClient client = new SseClient(response, sweepId, lastSentSeq);
        response.write("retry: 1000\n\n");
        open++;
        if (sweepId == null) {
            listClients.add(client);
        } else {
            sweepClients.computeIfAbsent(sweepId, id -> new LinkedHashSet<>()).add(client);
        }
        response.closeHandler(v -> forget(client));
        response.exceptionHandler(e -> forget(client));
        return client;
    }

    /** The clients following one sweep (empty when none). */
    public Set<SseClient> following(String sweepId) {
        return sweepClients.getOrDefault(sweepId, Set.of());
    }

    public boolean hasFollowers(String sweepId) {
        return sweepClients.containsKey(sweepId);
    }

    public Set<String> followedSweeps() {
        return sweepClients.keySet();
    }

    public Set<SseClient> listClients() {
        return listClients;
    }

    public void heartbeat() {
        all().forEach(SseClient::heartbeat);
    }

    /** Ends every stream; browsers reconnect on their own and resume after their last id. */
    public int closeAll() {
        List<SseClient> clients = all();
        clients.forEach(SseClient::close);
        clients.forEach(this::forget);
        return clients.size();
    }

    private List<SseClient> all() {
        List<SseClient> clients = new ArrayList<>(listClients);
        sweepClients.values().forEach(clients::addAll);
        return clients;
    }

    private void forget(SseClient client) {
        boolean removed;
        if (client.sweepId() == null) {
            removed = listClients.remove(client);
        } else {
            Set<SseClient> set = sweepClients.get(client.sweepId());
            removed = set != null && set.remove(client);
            if (set != null && set.isEmpty()) {
                sweepClients.remove(client.sweepId());
            }
        }
        if (removed) {
            open--;
        }
        client.markClosed();
    }
}
