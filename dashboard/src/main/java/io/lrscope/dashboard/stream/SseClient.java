package io.lrscope.dashboard.stream;

import io.vertx.core.http.HttpServerResponse;

/**
 * One open Server-Sent Events response: either the sweeps-list stream ({@code sweepId} null)
 * or one sweep's stream.
 *
 * <p>A client that cannot keep up is disconnected rather than buffered without bound; it
 * reconnects with Last-Event-ID and resumes without a gap, so dropping it loses nothing.
 */
public final class SseClient {

    /** Bytes queued for one client before it counts as too slow and is disconnected. */
    static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

    private final HttpServerResponse response;
    private final String sweepId;
    private long lastSentSeq;
    private boolean closed;

    SseClient(HttpServerResponse response, String sweepId, long lastSentSeq) {
        this.response = response;
        this.sweepId = sweepId;
        this.lastSentSeq = lastSentSeq;
        response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    }

    public String sweepId() {
        return sweepId;
    }

    /** The seq of the last point written to this client (-1: none). */
    long lastSentSeq() {
        return lastSentSeq;
    }

    void sentUpTo(long seq) {
        lastSentSeq = Math.max(lastSentSeq, seq);
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /** Writes one event; {@code id} null leaves the client's last event id unchanged. */
    boolean send(String event, String id, String json) {
        return sendFrame(frame(event, id, json));
    }

    /** Writes a frame built once by {@link #frame} for every client of a broadcast. */
    boolean sendFrame(String frame) {
        if (closed) {
            return false;
        }
        if (response.writeQueueFull()) {
            close();
            return false;
        }
        response.write(frame);
        return true;
    }

    /** One SSE event: optional id line, event line, one data line (JSON has no newlines). */
    static String frame(String event, String id, String json) {
        StringBuilder frame = new StringBuilder(json.length() + 64);
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        frame.append("event: ").append(event).append('\n');
        frame.append("data: ").append(json).append("\n\n");
        return frame.toString();
    }

    /** A comment line: keeps proxies from timing the connection out and finds dead peers. */
    void heartbeat() {
        if (!closed && !response.writeQueueFull()) {
            response.write(": keep-alive\n\n");
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        }
    }
}
