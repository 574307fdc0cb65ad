package io.lrscope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.dashboard.TestSweeps.Row;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API, SSE protocol and Stop against a real Vert.x server and broker. */
class DashboardHttpTest {

    static final String TOKEN = "s3cret-token-42";

    static EmbeddedKafka kafka;
    static DashboardServer open;
    static DashboardServer guarded;
    static TestSweeps sweeps;
    static final HttpClient http = HttpClient.newHttpClient();
    static final List<Row> rows = DashboardPageIT.rowsFor(10);
    static final SweepConfig config = TestSweeps.config("api sweep", "mlp", 10);

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        Topics.ensure(kafka.admin(), 2, (short) 1);
        sweeps = new TestSweeps(kafka.bootstrapServers());
        sweeps.sendRaw(Topics.SWEEP_EVENTS, "junk", "{not json".getBytes(StandardCharsets.UTF_8));
        sweeps.started("api-1", config);
        sweeps.steps("api-1", rows);
        sweeps.recommend(
                TestSweeps.recommendationFor("api-1", rows, config, Recommendation.RUNNING));
        open = new DashboardServer(new DashboardConfig(kafka.bootstrapServers(), null, 0, null));
        open.start();
        guarded = new DashboardServer(new DashboardConfig(kafka.bootstrapServers(), null, 0, TOKEN)
                .withMaxSseClients(2));
        guarded.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> open.pointCount() == 10
                && guarded.pointCount() == 10);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {guarded, open, sweeps, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void pageIsServedWithAContentSecurityPolicyAndNoInlineScript() throws Exception {
        HttpResponse<String> page = get(open, "/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "default-src 'none'", "frame-ancestors 'none'");
        assertThat(page.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>")
                .doesNotContain("onclick=", "style=");
        assertThat(get(open, "/webjars/chart.js/4.4.7/dist/chart.umd.js", null).statusCode())
                .isEqualTo(200);
        assertThat(get(open, "/webjars/chartjs-plugin-zoom/2.2.0/dist/chartjs-plugin-zoom.min.js",
                null).statusCode()).isEqualTo(200);
        assertThat(get(open, "/static/app.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    void sweepsApiListsTheSweepWithItsConfigAndPick() throws Exception {
        JsonNode list = json(get(open, "/api/sweeps", null));
        JsonNode sweep = list.get("sweeps").get(0);

        assertThat(sweep.get("sweepId").asText()).isEqualTo("api-1");
        assertThat(sweep.get("effectiveBatch").asLong()).isEqualTo(128);
        assertThat(sweep.get("points").asLong()).isEqualTo(10);
        assertThat(sweep.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(sweep.get("status").asText()).isEqualTo("running");

        JsonNode one = json(get(open, "/api/sweeps/api-1", null));
        assertThat(one.get("config").get("model").asText()).isEqualTo("mlp");
        assertThat(one.get("recommendation").get("verdict").asText()).isEqualTo("pick");
        assertThat(one.get("lastEventId").asLong()).isEqualTo(9);

        JsonNode recs = json(get(open, "/api/recommendations", null));
        assertThat(recs.get("recommendations").get(0).get("sweepId").asText()).isEqualTo("api-1");
    }

    @Test
    void pointsApiGivesEveryPointWithItsSeqAndCsvOnRequest() throws Exception {
        JsonNode points = json(get(open, "/api/sweeps/api-1/points?after=6", null));

        assertThat(points.get("points")).hasSize(3);
        assertThat(points.get("points").get(0).get("seq").asLong()).isEqualTo(7);
        assertThat(points.get("points").get(0).get("lr").asDouble()).isEqualTo(rows.get(7).lr());

        HttpResponse<String> csv = get(open, "/api/sweeps/api-1/points?format=csv", null);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).hasSize(11).first()
                .isEqualTo("step,lr,loss,smoothed");
    }

    @Test
    void undecodableRecordIsSkippedAndCounted() throws Exception {
        JsonNode health = json(get(open, "/api/health", null));

        assertThat(health.get("skippedRecords").asLong()).isEqualTo(1);
        assertThat(health.get("sweeps").asInt()).isEqualTo(1);
    }

    @Test
    void metricsForPrometheusCountSweepsPointsAndSkippedRecords() throws Exception {
        HttpResponse<String> scrape = get(open, "/metrics", null);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("lrscope_dashboard_sweeps 1.0")
                .contains("lrscope_dashboard_points 10.0")
                .contains("lrscope_dashboard_skipped_records 1.0")
                .contains("lrscope_dashboard_sse_clients");
        assertThat(get(guarded, "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void streamResumesStrictlyAfterLastEventIdHeader() throws Exception {
        List<String> frames = readSse(open, "/api/sweeps/api-1/stream", "Last-Event-ID", "6", 4);

        assertThat(frames.get(0)).startsWith("event: sweep");
        assertThat(frames.get(1)).startsWith("event: recommendation");
        assertThat(frames.get(2)).startsWith("event: smoothed");
        assertThat(frames.get(3)).startsWith("id: 9\nevent: points\n");
        JsonNode points = EventJson.MAPPER.readTree(frames.get(3).substring(
                frames.get(3).indexOf("data: ") + 6)).get("points");
        assertThat(points).extracting(p -> p.get("step").asLong()).containsExactly(7L, 8L, 9L);
        assertThat(open.lastResume("api-1").afterId()).isEqualTo(6);
    }

    @Test
    void unknownSweepAndBadIdGetJsonErrors() throws Exception {
        HttpResponse<String> missing = get(open, "/api/sweeps/nope", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("no sweep with id=nope");

        HttpResponse<String> badId = get(open, "/api/sweeps/api-1/stream?lastEventId=x", null);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("error").asText()).startsWith("lastEventId=x: must be");

        assertThat(json(get(open, "/nowhere", null)).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void tokenIsRequiredOnTheApiAsHeaderOrQueryParameter() throws Exception {
        HttpResponse<String> without = get(guarded, "/api/sweeps", null);
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(json(without).get("error").asText()).startsWith("token required");

        assertThat(get(guarded, "/api/sweeps", "Bearer wrong-token-1").statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/api/sweeps", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(guarded, "/api/sweeps?token=" + TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(get(guarded, "/", null).statusCode()).as("the page itself").isEqualTo(200);
    }

    @Test
    void stopNeedsTheTokenAndJsonAndSendsStopSweepToTheControlTopic() throws Exception {
        assertThat(post(guarded, "/api/sweeps/api-1/stop", null, "application/json", "{}")
                .statusCode()).isEqualTo(401);
        assertThat(post(guarded, "/api/sweeps/api-1/stop", TOKEN, "text/plain", "{}")
                .statusCode()).isEqualTo(415);
        assertThat(post(guarded, "/api/sweeps/api-1/stop", TOKEN, "application/json",
                "{\"reason\": \"" + "x".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);

        HttpResponse<String> sent = post(guarded, "/api/sweeps/api-1/stop", TOKEN,
                "application/json", "{\"reason\": \"loss looks wrong\"}");

        assertThat(sent.statusCode()).isEqualTo(202);
        ConsumerRecord<String, byte[]> command = firstControlRecord();
        assertThat(command.key()).isEqualTo("api-1");
        StopSweep stop = EventJson.decodeStop(command.value());
        assertThat(stop.reason()).isEqualTo("stopped from the dashboard: loss looks wrong");
        assertThat(stop.atStep()).isEqualTo(9L);
    }

    @Test
    void streamsBeyondTheLimitAreRefusedWith503() throws Exception {
        List<InputStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                HttpResponse<InputStream> r = http.send(request(guarded, "/api/stream", TOKEN)
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                held.add(r.body());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> json(get(guarded,
                    "/api/health", "Bearer " + TOKEN)).get("sseClients").asInt() == 2);

            HttpResponse<String> third = get(guarded, "/api/stream", "Bearer " + TOKEN);
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(json(third).get("error").asText()).startsWith("too many open streams");
        } finally {
            for (InputStream in : held) {
                in.close();
            }
        }
    }

    @Test
    void requestNamingAnotherHostIsRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", open.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/sweeps HTTP/1.1\r\nHost: evil.example:" + open.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 421 Misdirected Request");
        }
    }

    // --- helpers ---

    static HttpRequest.Builder request(DashboardServer server, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static HttpResponse<String> get(DashboardServer server, String path, String authorization)
            throws Exception {
        HttpRequest.Builder b = request(server, path, null);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(DashboardServer server, String path, String token,
            String contentType, String body) throws Exception {
        return http.send(request(server, path, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/json");
        return EventJson.MAPPER.readTree(response.body());
    }

    /** Reads the first {@code count} SSE frames (blocks separated by a blank line). */
    static List<String> readSse(DashboardServer server, String path, String header, String value,
            int count) throws Exception {
        HttpResponse<InputStream> response = http.send(request(server, path, null)
                .header(header, value).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<String> frames = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder frame = new StringBuilder();
            String line;
            while (frames.size() < count && (line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (frame.length() > 0 && !frame.toString().startsWith("retry:")) {
                        frames.add(frame.toString());
                    }
                    frame.setLength(0);
                } else {
                    frame.append(line).append('\n');
                }
            }
        }
        return frames;
    }

    static ConsumerRecord<String, byte[]> firstControlRecord() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONTROL).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record on " + Topics.CONTROL);
    }
}
