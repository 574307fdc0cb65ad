package io.lrscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real trainer agent ({@code lrscope sweep}, DJL on the CPU) is SIGKILLed mid-sweep, so it
 * never sends SweepEnded. After the configured silence the analyzer must finalise the sweep as
 * stale, and the dashboard (its own process, as deployed) must say stale too.
 */
class AgentKillIT {

    private static final String SWEEP = "agent-kill-1";
    private static final Duration STALE_AFTER = Duration.ofSeconds(3);
    /** What the page may lag behind the analyzer's stale verdict: its poll and a heartbeat. */
    private static final Duration PAGE_LAG = Duration.ofSeconds(15);

    @TempDir Path dir;

    @Test
    void killedAgentsSweepTurnsFinalStaleAndThePageSaysStale() throws Exception {
        try (EmbeddedKafka kafka = Rig.broker(dir.resolve("kafka"));
                CliProcess analyzer = Rig.analyzer("analyzer-agent-kill",
                        kafka.bootstrapServers(), dir.resolve("analyzer-state"),
                        "--stale-after", STALE_AFTER.toSeconds() + "s");
                CliProcess dashboard = CliProcess.start("dashboard-agent-kill", List.of(
                        "serve-dashboard", "--bootstrap", kafka.bootstrapServers(),
                        "--port", "0"));
                CliProcess agent = CliProcess.start("agent-killed", List.of(
                        "sweep", "--bootstrap", kafka.bootstrapServers(), "--sweep-id", SWEEP,
                        "--steps", "50000", "--optimizer", "sgd"));
                Wire.Recommendations recommendations =
                        new Wire.Recommendations(kafka.bootstrapServers(), SWEEP)) {
            String url = dashboard.awaitLog("^Dashboard: (http://\\S+)", Duration.ofSeconds(60));

            // given: the agent is well into its 50,000 steps
            Recommendation running = recommendations.await(r -> r.lastStep() >= 300,
                    Duration.ofSeconds(90)).orElseThrow(() -> new AssertionError(
                            "the agent never got 300 steps in; its log:\n" + agent.tail()));
            assertThat(running.status()).isEqualTo(Recommendation.RUNNING);

            // when: it dies without a word
            assertThat(agent.kill()).isEqualTo(CliProcess.SIGKILL_EXIT);
            long killedAt = System.nanoTime();

            // then: the analyzer finalises the sweep as stale soon after the silence
            Recommendation stale = recommendations.awaitFinal(Duration.ofSeconds(60));
            Duration afterKill = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(stale.endedBy()).as(EventJson.toJson(stale)).startsWith("stale");
            assertThat(afterKill).as("final stale recommendation after the kill")
                    .isGreaterThanOrEqualTo(STALE_AFTER.minusMillis(500))
                    .isLessThan(STALE_AFTER.multipliedBy(5));
            assertThat(stale.lastStep()).isGreaterThanOrEqualTo(300).isLessThan(50_000);
            assertThat(stale.pointsSeen()).as("steps 0..lastStep, none lost in the middle")
                    .isEqualTo((int) stale.lastStep() + 1);
            assertThat(stale.duplicates()).isZero();
            assertThat(analyzer.isAlive()).isTrue();

            // and the dashboard carries the analyzer's verdict ...
            DashboardApi api = new DashboardApi(url);
            JsonNode sweep = api.await("api/sweeps/" + SWEEP, body -> body.path("recommendation")
                    .path("status").asText().equals(Recommendation.FINAL), Duration.ofSeconds(30));
            assertThat(sweep.path("recommendation").path("endedBy").asText()).startsWith("stale");

            // ... and its own status for the sweep says stale, not running
            JsonNode page = api.await("api/sweeps/" + SWEEP,
                    body -> body.path("sweep").path("status").asText().equals("stale"), PAGE_LAG);
            assertThat(page.path("sweep").path("status").asText())
                    .as("GET /api/sweeps/%s %s after the analyzer finalised it stale: %s",
                            SWEEP, PAGE_LAG, page)
                    .isEqualTo("stale");
        }
    }
}
