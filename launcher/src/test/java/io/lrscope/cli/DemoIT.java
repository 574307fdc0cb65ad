package io.lrscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.events.EventJson;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end, in-process: embedded KRaft broker, Streams analyzer,
 * dashboard and a real DJL sweep on the digits data; the final recommendation is read from the
 * recommendations topic and printed as the last stdout line.
 */
class DemoIT {

    @Test
    void headlessDemoEndsWithTheFinalRecommendationAsJson() throws Exception {
        long started = System.nanoTime();

        Cli cli = Cli.run("demo", "--headless", "--port", "0");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.outLines().get(0)).matches("Dashboard: http://127\\.0\\.0\\.1:\\d+/");
        JsonNode r = EventJson.MAPPER.readTree(cli.lastOutLine());
        assertThat(r.get("status").asText()).isEqualTo("final");
        assertThat(r.get("endedBy").asText()).matches("(completed|stopped): .+");
        assertThat(r.get("verdict").asText()).isEqualTo("pick");
        assertThat(r.get("divergedAtStep").asLong()).isBetween(30L, 299L);
        assertThat(r.get("config").get("steps").asInt()).isEqualTo(DemoCommand.DEMO_STEPS);
        assertThat(r.get("effectiveBatch").asLong()).isEqualTo(32);
        assertThat(r.get("pointsUsed").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(r.has("divergedAtStep")).isTrue();
        double pick = r.get("pickLr").asDouble();
        double min = r.get("minLossLr").asDouble();
        assertThat(pick).isEqualTo(min / 10);
        assertThat(pick).isBetween(1e-7, 1.0);
        assertThat(r.get("steepestLr").asDouble()).isBetween(1e-7, 1.0);
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(120);
    }
}
