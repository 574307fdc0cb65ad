package io.lrscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.DeadLetters;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 hostile records interleaved with four real sweeps, against one analyzer process. Every
 * hostile record must land in dead letters exactly once, untouched, with a one-line reason;
 * every real sweep must still get the recommendation its curve's worked-out answer gives; and
 * the analyzer must neither restart nor lose a stream thread.
 */
class HostileTrafficIT {

    private static final int HOSTILE = 10_000;
    private static final Map<String, String> REAL = Map.of(
            "real-clean", "u-shaped-clean",
            "real-noisy", "u-shaped-noisy",
            "real-nan", "nan-mid",
            "real-never", "never-diverges");

    @TempDir Path dir;

    @Test
    void tenThousandHostileRecordsAllReachDeadLettersAndRealSweepsKeepTheirAnswer()
            throws Exception {
        List<String> realIds = new ArrayList<>(new TreeMap<>(REAL).keySet());
        List<HostileRecords.Hostile> hostile = new HostileRecords(realIds).generate(HOSTILE);
        List<SweepEvent> real = interleavedRealEvents(realIds);

        try (EmbeddedKafka kafka = Rig.broker(dir.resolve("kafka"));
                CliProcess analyzer = Rig.analyzer("analyzer-hostile", kafka.bootstrapServers(),
                        dir.resolve("analyzer-state"), "--stale-after", "10m");
                CliProcess dashboard = CliProcess.start("dashboard-hostile", List.of(
                        "serve-dashboard", "--bootstrap", kafka.bootstrapServers(),
                        "--port", "0"));
                KafkaProducer<byte[], byte[]> producer = Wire.producer(kafka.bootstrapServers())) {
            String bootstrap = kafka.bootstrapServers();
            long pid = analyzer.pid();
            DashboardApi api = new DashboardApi(
                    dashboard.awaitLog("^Dashboard: (http://\\S+)", Duration.ofSeconds(60)));

            // given: real traffic with hostile records between every two real events
            int perRealEvent = (int) Math.ceil(HOSTILE / (double) real.size());
            int h = 0;
            for (SweepEvent event : real) {
                Rig.send(producer, event);
                for (int k = 0; k < perRealEvent && h < HOSTILE; k++, h++) {
                    HostileRecords.Hostile bad = hostile.get(h);
                    producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, bad.key(),
                            bad.value()));
                }
            }
            while (h < HOSTILE) {
                HostileRecords.Hostile bad = hostile.get(h++);
                producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, bad.key(), bad.value()));
            }
            producer.flush();

            // then: every real sweep gets its worked-out answer
            for (String sweepId : realIds) {
                try (Wire.Recommendations recommendations =
                        new Wire.Recommendations(bootstrap, sweepId)) {
                    Recommendation done = recommendations.awaitFinal(Duration.ofSeconds(120));
                    assertThat(done.pointsSeen()).as(sweepId + " pointsSeen")
                            .isEqualTo(Curves.rows(REAL.get(sweepId)).size());
                    assertThat(done.endedBy()).as(sweepId).startsWith("completed");
                    assertThat(done.config().model()).as(sweepId).isEqualTo("digits-mlp");
                    Rig.assertMatchesExpected(done, REAL.get(sweepId));
                }
            }

            // and: the dead letters are exactly the hostile records, each once, with a reason
            List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters(bootstrap, HOSTILE);
            Map<String, Integer> sent = new HashMap<>();
            hostile.forEach(bad ->
                    sent.merge(fingerprint(bad.key(), bad.value()), 1, Integer::sum));
            Map<String, Integer> received = new HashMap<>();
            Map<String, Integer> reasons = new TreeMap<>();
            int longestReason = 0;
            for (ConsumerRecord<byte[], byte[]> letter : dead) {
                received.merge(fingerprint(letter.key(), letter.value()), 1, Integer::sum);
                String reason = DeadLetters.reason(letter.headers());
                assertThat(reason).as("reason of dead letter at offset " + letter.offset())
                        .isNotBlank().doesNotContain("\n");
                longestReason = Math.max(longestReason, reason.length());
                reasons.merge(reasonKind(reason), 1, Integer::sum);
                assertThat(header(letter, DeadLetters.SOURCE_TOPIC))
                        .isEqualTo(Topics.SWEEP_EVENTS);
            }
            Map<String, Integer> kinds = new TreeMap<>();
            hostile.forEach(bad -> kinds.merge(bad.kind(), 1, Integer::sum));
            System.out.printf("hostile records sent=%d kinds=%d %s%n", hostile.size(),
                    kinds.size(), kinds);
            System.out.printf("dead letters received=%d longestReason=%d reasons=%s%n",
                    dead.size(), longestReason, reasons);

            assertThat(dead).as("dead letters").hasSize(HOSTILE);
            assertThat(received).as("dead letters are the hostile records, each once, untouched")
                    .isEqualTo(sent);
            assertThat(longestReason).as("a reason a person can read").isLessThan(400);

            // and: the analyzer never restarted and never replaced a stream thread
            assertThat(analyzer.isAlive()).isTrue();
            assertThat(analyzer.pid()).isEqualTo(pid);
            assertThat(analyzer.log().split("analyzer starting", -1)).hasSize(2);
            Rig.assertNoStreamThreadReplaced(analyzer);

            // and: the dashboard, reading the same topic, skipped them all and stayed up
            JsonNode health = api.await("api/health",
                    body -> body.path("skippedRecords").asLong() >= HOSTILE,
                    Duration.ofSeconds(30));
            System.out.printf("dashboard health=%s%n", health);
            assertThat(dashboard.isAlive()).isTrue();
            for (String sweepId : realIds) {
                JsonNode summary = api.await("api/sweeps/" + sweepId,
                        body -> body.path("recommendation").path("status").asText()
                                .equals(Recommendation.FINAL), Duration.ofSeconds(30))
                        .path("sweep");
                int rows = Curves.rows(REAL.get(sweepId)).size();
                assertThat(summary.path("lastStep").asLong())
                        .as("dashboard %s lastStep (hostile steps are >= 100000): %s",
                                sweepId, summary).isEqualTo(rows - 1);
                assertThat(summary.path("points").asInt())
                        .as("dashboard %s points: %s", sweepId, summary).isEqualTo(rows);
            }
            assertThat(health.path("skippedRecords").asLong()).as("dashboard skippedRecords")
                    .isEqualTo(HOSTILE);
        }
    }

    /** The four sweeps' events, round-robin, each sweep's own events in order. */
    private static List<SweepEvent> interleavedRealEvents(List<String> realIds) {
        List<List<SweepEvent>> sweeps = realIds.stream()
                .map(id -> Curves.sweep(id, REAL.get(id))).toList();
        List<SweepEvent> out = new ArrayList<>();
        for (int i = 0; sweeps.stream().anyMatch(s -> !s.isEmpty()); i++) {
            boolean any = false;
            for (List<SweepEvent> sweep : sweeps) {
                if (i < sweep.size()) {
                    out.add(sweep.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(
            String bootstrap, int expected) {
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try (Wire.Reader reader = new Wire.Reader(bootstrap, Topics.DEAD_LETTERS)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int quietAfterExpected = 0;
            while (System.nanoTime() < deadline && quietAfterExpected < 10) {
                List<ConsumerRecord<byte[], byte[]>> batch = reader.poll(Duration.ofMillis(300));
                dead.addAll(batch);
                quietAfterExpected = dead.size() >= expected && batch.isEmpty()
                        ? quietAfterExpected + 1 : 0;
            }
        }
        return dead;
    }

    /** The reason's field or category: "lr=NaN: must be..." → "lr", "value is not JSON" → .. */
    private static String reasonKind(String reason) {
        int cut = reason.length();
        for (char c : new char[] {'=', ':'}) {
            int at = reason.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return reason.substring(0, Math.min(cut, 40));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String fingerprint(byte[] key, byte[] value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key == null ? new byte[] {1} : concat(new byte[] {0}, key));
            sha.update(value == null ? new byte[] {1} : concat(new byte[] {0}, value));
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
