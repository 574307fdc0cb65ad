package io.lrscope.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.events.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** The dashboard's REST API as a test reads it: {@code GET} a path, JSON back. */
final class DashboardApi {

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code baseUrl} as the dashboard prints it, e.g. {@code http://127.0.0.1:41327/}. */
    DashboardApi(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    }

    /** The body of a 200 answer, or null for any other status. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? EventJson.MAPPER.readTree(response.body()) : null;
    }

    /** Polls {@code path} until {@code done} holds; returns the last body (maybe not done). */
    JsonNode await(String path, Predicate<JsonNode> done, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode body = null;
        do {
            JsonNode next = get(path);
            if (next != null) {
                body = next;
                if (done.test(body)) {
                    return body;
                }
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return body == null ? EventJson.MAPPER.createObjectNode() : body;
    }
}
