package io.lrscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lrscope.analyzer.topology.AnalyzerConfig;
import io.lrscope.analyzer.topology.AnalyzerService;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What every fault test needs: a broker, analyzer processes, a reference run, comparisons. */
final class Rig {

    /** Partitions of the events topic in these tests: more than one, as in production. */
    static final int PARTITIONS = 2;

    private Rig() {}

    /** A broker in this JVM whose storage lives in {@code dataDir}, with lrscope's topics. */
    static EmbeddedKafka broker(Path dataDir) {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0);
        try (Admin admin = kafka.admin()) {
            Topics.ensure(admin, PARTITIONS, (short) 1);
        }
        return kafka;
    }

    /** {@code lrscope serve-analyzer} as its own process; returns once it logs that it runs. */
    static CliProcess analyzer(String name, String bootstrap, Path stateDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve-analyzer",
                "--bootstrap", bootstrap, "--state-dir", stateDir.toString(),
                "--partitions", Integer.toString(PARTITIONS)));
        args.addAll(List.of(extra));
        CliProcess process = CliProcess.start(name, args);
        try {
            process.awaitLog("analyzer running", Duration.ofSeconds(90));
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
        return process;
    }

    static void send(KafkaProducer<byte[], byte[]> producer, SweepEvent event) {
        producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS,
                event.sweepId().getBytes(StandardCharsets.UTF_8), EventJson.encode(event)));
    }

    /**
     * The uninterrupted answer: a fresh analyzer (its own application id and state, in this JVM)
     * reads the whole events topic once, with nothing killed or restarted, and publishes its own
     * final recommendation for {@code sweepId}; only records published after it started count.
     */
    static Recommendation referenceFinal(String bootstrap, String sweepId, Path stateDir) {
        Map<Integer, Long> start = Wire.Reader.endOffsets(bootstrap, Topics.RECOMMENDATIONS);
        AnalyzerConfig defaults = AnalyzerConfig.defaults(bootstrap, stateDir);
        AnalyzerConfig config = new AnalyzerConfig(bootstrap, "lrscope-reference",
                stateDir, defaults.curveSettings(), defaults.adviceSettings(),
                Duration.ofMinutes(10), true);
        try (AnalyzerService reference = new AnalyzerService(config);
                Wire.Recommendations recommendations =
                        new Wire.Recommendations(bootstrap, sweepId, start)) {
            reference.start(Duration.ofSeconds(90));
            return recommendations.awaitFinal(Duration.ofSeconds(60));
        }
    }

    /** The recommendation as JSON without {@code updatedMillis}, for field-for-field equality. */
    static JsonNode withoutUpdatedMillis(Recommendation recommendation) {
        ObjectNode node = EventJson.MAPPER.valueToTree(recommendation);
        node.remove("updatedMillis");
        return node;
    }

    /** Checks the picks against the curve's worked-out answer (1e-9 relative). */
    static void assertMatchesExpected(Recommendation actual, String curve) {
        JsonNode expected = Curves.expected(curve);
        String what = "sweep=" + actual.sweepId() + " curve=" + curve;
        assertThat(actual.burnIn()).as(what + " burnIn").isEqualTo(expected.get("burnIn").asInt());
        assertThat(actual.pointsUsed()).as(what + " pointsUsed")
                .isEqualTo(expected.get("pointsUsed").asInt());
        assertThat(actual.duplicates()).as(what + " duplicates")
                .isEqualTo(expected.get("duplicates").asInt());
        assertThat(actual.inconclusive()).as(what + " inconclusive")
                .isEqualTo(expected.get("inconclusive").asBoolean());
        JsonNode diverged = expected.get("divergedAtStep");
        assertThat(actual.divergedAtStep()).as(what + " divergedAtStep")
                .isEqualTo(diverged.isNull() ? null : diverged.asLong());
        assertClose(what + " minLoss", actual.minLoss(), expected.get("minLoss").asDouble());
        assertClose(what + " minLossLr", actual.minLossLr(), expected.get("minLossLr").asDouble());
        assertClose(what + " pickLr", actual.pickLr(), expected.get("pickLr").asDouble());
        assertClose(what + " steepestLr", actual.steepestLr(),
                expected.get("steepestLr").asDouble());
    }

    private static void assertClose(String what, Double actual, double expected) {
        assertThat(actual).as(what).isNotNull();
        assertThat(Math.abs(actual - expected)).as(what + "=" + actual + " expected " + expected)
                .isLessThanOrEqualTo(1e-9 * Math.abs(expected));
    }

    /** The analyzer's log says it never lost a stream thread (nothing was replaced). */
    static void assertNoStreamThreadReplaced(CliProcess analyzer) {
        assertThat(analyzer.log()).as("analyzer log " + analyzer.logFile())
                .doesNotContain("replacing it")
                .doesNotContain("StreamsException");
    }
}
