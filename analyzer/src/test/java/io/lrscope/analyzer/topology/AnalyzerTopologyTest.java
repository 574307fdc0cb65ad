package io.lrscope.analyzer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.TestCurves;
import io.lrscope.events.DeadLetters;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.StopSweep;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.Topics;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class AnalyzerTopologyTest {

    static final List<String> CURVES = TestCurves.NAMES;
    static final Duration STALE_AFTER = Duration.ofSeconds(30);

    @TempDir Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<String, byte[]> recommendations;
    private TestOutputTopic<String, byte[]> control;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyzer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AnalyzerTopology.build(
                CurveSettings.defaults(), AdviceSettings.defaults(), STALE_AFTER), props);
        events = driver.createInputTopic(Topics.SWEEP_EVENTS,
                new ByteArraySerializer(), new ByteArraySerializer());
        recommendations = driver.createOutputTopic(Topics.RECOMMENDATIONS,
                new StringDeserializer(), new ByteArrayDeserializer());
        control = driver.createOutputTopic(Topics.CONTROL,
                new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(SweepEvent event) {
        events.pipeInput(utf8(event.sweepId()), EventJson.encode(event));
    }

    private void sendRaw(String key, String value) {
        events.pipeInput(key == null ? null : utf8(key), value == null ? null : utf8(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Pipes a test curve as StepObserved events, then SweepEnded from every rank. */
    private void sendCurve(String sweepId, String csv) throws Exception {
        TreeSet<Integer> ranks = new TreeSet<>();
        BufferedReader reader = new BufferedReader(new StringReader(csv));
        String[] header = reader.readLine().split(",");
        List<String> columns = List.of(header);
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            int rank = columns.contains("rank")
                    ? Integer.parseInt(cells[columns.indexOf("rank")]) : 0;
            ranks.add(rank);
            send(StepObserved.of(sweepId, rank,
                    Long.parseLong(cells[columns.indexOf("step")]),
                    Double.parseDouble(cells[columns.indexOf("lr")]),
                    loss(cells[columns.indexOf("loss")]), 0L));
        }
        for (int rank : ranks) {
            send(SweepEnded.of(sweepId, rank, SweepEnded.Outcome.COMPLETED, null, 0, 0L));
        }
    }

    /**
     * Pipes a test curve as StepsObserved records of up to {@code perRecord} steps, each holding
     * consecutive rows of one rank in CSV order, then SweepEnded from every rank.
     */
    private void sendCurveBatched(String sweepId, String csv, int perRecord) throws Exception {
        TreeSet<Integer> ranks = new TreeSet<>();
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        List<String> columns = List.of(lines.get(0).split(","));
        List<StepsObserved.Step> batch = new ArrayList<>();
        int batchRank = -1;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int rank = columns.contains("rank")
                    ? Integer.parseInt(cells[columns.indexOf("rank")]) : 0;
            ranks.add(rank);
            if (rank != batchRank || batch.size() == perRecord) {
                if (!batch.isEmpty()) {
                    send(StepsObserved.of(sweepId, batchRank, batch, 0L));
                }
                batch = new ArrayList<>();
                batchRank = rank;
            }
            batch.add(new StepsObserved.Step(Long.parseLong(cells[columns.indexOf("step")]),
                    Double.parseDouble(cells[columns.indexOf("lr")]),
                    loss(cells[columns.indexOf("loss")])));
        }
        send(StepsObserved.of(sweepId, batchRank, batch, 0L));
        for (int rank : ranks) {
            send(SweepEnded.of(sweepId, rank, SweepEnded.Outcome.COMPLETED, null, 0, 0L));
        }
    }

    private static double loss(String text) {
        return text.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(text);
    }

    private List<Recommendation> readRecommendations() {
        List<Recommendation> out = new ArrayList<>();
        for (TestRecord<String, byte[]> r : recommendations.readRecordsToList()) {
            Recommendation rec = EventJson.decodeRecommendation(r.value());
            assertThat(r.key()).isEqualTo(rec.sweepId());
            out.add(rec);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CURVES")
    void finalRecommendationMatchesWorkedOutAnswer(String name) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(TestCurves.text(name + ".expected.json"));

        sendCurve(name, TestCurves.text(name + ".csv"));

        List<Recommendation> all = readRecommendations();
        Recommendation last = all.get(all.size() - 1);
        assertThat(all.stream().filter(Recommendation::isFinal)).hasSize(1);
        assertThat(last.status()).isEqualTo("final");
        assertThat(last.pointsUsed()).isEqualTo(expected.get("pointsUsed").asInt());
        assertThat(last.duplicates()).isEqualTo(expected.get("duplicates").asInt());
        assertThat(last.ranks()).isEqualTo(expected.get("ranks").asInt());
        assertThat(last.divergedAtStep()).isEqualTo(expected.get("divergedAtStep").isNull()
                ? null : expected.get("divergedAtStep").asLong());
        assertSame(last.pickLr(), expected.get("pickLr"));
        assertSame(last.minLossLr(), expected.get("minLossLr"));
        assertSame(last.steepestLr(), expected.get("steepestLr"));
        assertThat(EventJson.toJson(last)).doesNotContainPattern("\":\"?(NaN|-?Infinity)");
    }

    private static void assertSame(Double actual, JsonNode expected) {
        if (expected.isNull()) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual).isCloseTo(expected.asDouble(),
                    within(Math.abs(expected.asDouble()) * 1e-9));
        }
    }

    @Test
    void recommendationsFlowWhilePointsArriveAndTurnFinalOnSweepEnded() throws Exception {
        // field case 12: no window waits for later records; final right after SweepEnded
        String csv = TestCurves.text("field-01-nan-tail.csv");
        List<String> lines = csv.lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            send(StepObserved.of("c12-a", 0, Long.parseLong(c[0]), Double.parseDouble(c[1]),
                    loss(c[2]), 0L));
        }
        List<Recommendation> running = readRecommendations();
        assertThat(running).isNotEmpty().allMatch(r -> r.status().equals("running"));

        send(SweepEnded.of("c12-a", 0, SweepEnded.Outcome.STOPPED, "diverged", 24, 0L));

        List<Recommendation> after = readRecommendations();
        assertThat(after).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("final");
            assertThat(r.divergedAtStep()).isEqualTo(20L);
            assertThat(r.pickLr()).isCloseTo(3.162e-3, within(1e-15));
            assertThat(r.endedBy()).isEqualTo("stopped: diverged");
        });
    }

    @Test
    void heldBackRunningRecommendationIsSentOnceTheSweepGoesQuiet() throws Exception {
        // given: 41 steps in well under a second, so the rate limit holds the latest back
        List<String> lines = TestCurves.text("u-shaped-clean.csv").lines().skip(1).limit(41)
                .toList();
        for (String line : lines) {
            String[] c = line.split(",");
            send(StepObserved.of("quiet-41", 0, Long.parseLong(c[0]), Double.parseDouble(c[1]),
                    Double.parseDouble(c[2]), 0L));
        }
        assertThat(readRecommendations()).last()
                .satisfies(r -> assertThat(r.lastStep()).isLessThan(40));

        // when: no more events, and the wall clock passes the rate limit's interval
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then: the curve the analyzer already has is published, still running
        assertThat(readRecommendations()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("running");
            assertThat(r.lastStep()).isEqualTo(40);
        });
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(recommendations.isEmpty()).as("nothing new, nothing sent").isTrue();
    }

    @Test
    void silentSweepTurnsFinalAfterTheStaleTimeoutOnWallClock() {
        // field case 12 without an end marker, and an agent killed mid-sweep
        for (int step = 0; step < 10; step++) {
            send(StepObserved.of("quiet", 0, step, 1e-6 * Math.pow(10, step / 2.0), 2.0, 0L));
        }
        readRecommendations();

        driver.advanceWallClockTime(STALE_AFTER.plusSeconds(2));

        assertThat(readRecommendations()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("final");
            assertThat(r.endedBy()).startsWith("stale: no event for 30 s");
        });
    }

    @Test
    void endedConfirmRunsSendTheFinalAgainWithTheConfirmationOnly() throws Exception {
        sendCurve("cf", TestCurves.text("u-shaped-clean.csv"));
        Recommendation fin = readRecommendations().stream().reduce((a, b) -> b).orElseThrow();
        double pick = fin.pickLr();

        String[] runs = {"x0.3", "x1", "x3"};
        double[] factors = {0.3, 1, 3};
        double[] losses = {0.2, 0.1, 0.15};
        for (int r = 0; r < 3; r++) {
            send(io.lrscope.events.ConfirmStarted.of("cf", runs[r], 3, pick, factors[r],
                    pick * factors[r], 10, 1, 0L));
            for (int step = 0; step < 10; step++) {
                send(io.lrscope.events.ConfirmStepObserved.of("cf", runs[r], step, pick, 2.0,
                        null, null, 0L));
            }
            // every step above: no recommendation, no curve change
            assertThat(recommendations.isEmpty()).isTrue();
            send(io.lrscope.events.ConfirmEnded.of("cf", runs[r],
                    io.lrscope.events.ConfirmEnded.Outcome.COMPLETED, "", 9, losses[r], 0.9, 0L));
        }
        send(io.lrscope.events.ConfirmEnded.of("cf", "x1",
                io.lrscope.events.ConfirmEnded.Outcome.COMPLETED, "", 9, 9.0, 0.1, 0L));

        List<Recommendation> out = readRecommendations();
        assertThat(out).hasSize(1);
        Recommendation confirmed = out.get(0);
        assertThat(confirmed.status()).isEqualTo("final");
        assertThat(confirmed.pickLr()).isEqualTo(pick);
        assertThat(confirmed.pointsUsed()).isEqualTo(fin.pointsUsed());
        assertThat(confirmed.confirmation().confirmedLr()).isEqualTo(pick);
        assertThat(confirmed.confirmation().verdict()).isEqualTo("pick_confirmed");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void divergenceSendsOneStopCommandForTheSweep() throws Exception {
        sendCurve("u", TestCurves.text("u-shaped-clean.csv").lines()
                .limit(80).reduce((a, b) -> a + "\n" + b).orElseThrow());

        List<TestRecord<String, byte[]>> stops = control.readRecordsToList();
        assertThat(stops).hasSize(1);
        StopSweep stop = EventJson.decodeStop(stops.get(0).value());
        assertThat(stops.get(0).key()).isEqualTo("u");
        assertThat(stop.atStep()).isEqualTo(70L);
        assertThat(stop.reason()).startsWith("diverged at step 70");
    }

    @Test
    void malformedEventsGoToDeadLettersWithReasonAndOriginalBytes() throws Exception {
        sendRaw("s", "{not json");
        sendRaw("s", "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"s\","
                + "\"rank\":0,\"step\":1,\"lr\":0,\"loss\":2.0,\"wallMillis\":1}");
        sendRaw("s", "{\"type\":\"Mystery\",\"schemaVersion\":1,\"sweepId\":\"s\"}");
        sendRaw("s", "{\"type\":\"StepObserved\",\"schemaVersion\":9,\"sweepId\":\"s\"}");
        sendRaw("other", EventJson.toJson(StepObserved.of("s", 0, 1, 0.1, 2.0, 1L)));
        sendRaw(null, EventJson.toJson(StepObserved.of("s", 0, 1, 0.1, 2.0, 1L)));
        sendRaw("s", null);
        sendRaw("s", "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"s\","
                + "\"rank\":0,\"step\":-3,\"lr\":0.1,\"loss\":2.0,\"wallMillis\":1}");

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        List<String> reasons = dead.stream().map(r -> DeadLetters.reason(r.headers())).toList();
        assertThat(reasons).containsExactly(
                reasons.get(0),
                "lr=0.0: must be a finite number > 0",
                reasons.get(2),
                reasons.get(3),
                "key=other: does not match sweepId=s",
                "key=null: events must be keyed by their sweepId (s)",
                "value=null: a record needs a JSON body",
                "step=-3: must be >= 0");
        assertThat(reasons.get(0)).startsWith("value is not JSON");
        assertThat(reasons.get(2)).startsWith("type=Mystery");
        assertThat(reasons.get(3)).startsWith("schemaVersion=9: newer");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(recommendations.isEmpty()).isTrue();

        // the stream keeps working for good records
        sendCurve("good", TestCurves.text("u-shaped-clean.csv"));
        assertThat(readRecommendations()).last()
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("pick"));
    }

    @Test
    void configFromSweepStartedSetsBurnInScaledLrsAndYaml() throws Exception {
        SweepConfig config = new SweepConfig("Llama-3.3-70B-Instruct", "digits", "adamw", 32, 2,
                2, "exponential", 1e-7, 1, 100, 42L, "h", "lbl");
        send(SweepStarted.of("cfg", 0, config, 0L));
        send(SweepStarted.of("cfg", 1, config, 0L));
        sendCurve("cfg", TestCurves.text("two-ranks.csv"));

        Recommendation r = readRecommendations().stream().filter(Recommendation::isFinal)
                .findFirst().orElseThrow();
        assertThat(r.burnIn()).isEqualTo(10);
        assertThat(r.params().plannedSteps()).isEqualTo(100);
        assertThat(r.effectiveBatch()).isEqualTo(128L);
        assertThat(r.scaled()).extracting(Recommendation.ScaledLr::effectiveBatch)
                .containsExactly(64L, 256L, 512L, 1024L);
        assertThat(r.scaled().get(1).linearLr()).isCloseTo(2 * r.pickLr(), within(1e-18));
        assertThat(r.scaled().get(1).sqrtLr())
                .isCloseTo(Math.sqrt(2) * r.pickLr(), within(1e-18));
        assertThat(r.communityDefault().lr()).isEqualTo(2e-5);
        assertThat(r.torchtuneYaml())
                .contains("_component_: torch.optim.AdamW")
                .contains("torchtune.training.get_cosine_schedule_with_warmup")
                .contains("num_warmup_steps: 50");
        assertThat(r.suggestedRange().low()).isEqualTo(r.steepestLr());
    }

    @Test
    void stateSurvivesTheStoreRoundTrip() throws Exception {
        sendCurve("rt", TestCurves.text("out-of-order-with-duplicates.csv"));
        SweepState state = new SweepStore(
                driver.<String, SweepState>getKeyValueStore(AnalyzerTopology.STATE_STORE),
                driver.<Bytes, byte[]>getKeyValueStore(AnalyzerTopology.POINTS_STORE))
                .load("rt");

        SweepState copy = SweepStateSerde.read(SweepStateSerde.write(state));

        assertThat(state.curve.completePoints()).isEqualTo(
                TestCurves.curve("out-of-order-with-duplicates").completePoints());
        assertThat(copy.curve.completePoints()).isEqualTo(state.curve.completePoints());
        assertThat(copy.curve.duplicates()).isEqualTo(3);
        assertThat(copy.finalSent).isTrue();
        assertThat(Files.exists(stateDir)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CURVES")
    void batchedStepsGiveTheSameFinalAsOneRecordPerStep(String name) throws Exception {
        sendCurve("single", TestCurves.text(name + ".csv"));
        sendCurveBatched("batched", TestCurves.text(name + ".csv"), 7);

        List<Recommendation> finals = readRecommendations().stream()
                .filter(Recommendation::isFinal).toList();
        assertThat(finals).extracting(Recommendation::sweepId)
                .containsExactly("single", "batched");
        assertThat(finals.get(1)).usingRecursiveComparison()
                .ignoringFields("sweepId", "updatedMillis")
                .isEqualTo(finals.get(0));
        SweepState stored = new SweepStore(
                driver.<String, SweepState>getKeyValueStore(AnalyzerTopology.STATE_STORE),
                driver.<Bytes, byte[]>getKeyValueStore(AnalyzerTopology.POINTS_STORE))
                .load("batched");
        assertThat(stored.curve.completePoints())
                .isEqualTo(TestCurves.curve(name).completePoints());
        assertThat(stored.curve.duplicates()).isEqualTo(finals.get(0).duplicates());
    }

    @Test
    void aDivergenceInsideABatchSendsOneStopAtItsStep() throws Exception {
        String first80 = TestCurves.text("u-shaped-clean.csv").lines().limit(81)
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        sendCurveBatched("u", first80, 16);

        List<TestRecord<String, byte[]>> stops = control.readRecordsToList();
        assertThat(stops).singleElement().satisfies(r ->
                assertThat(EventJson.decodeStop(r.value()).atStep()).isEqualTo(70L));
    }

    @Test
    void runningRecommendationsFollowMaterialChangesNotEveryStep() throws Exception {
        // 100 points, one record each: the answer moves with the ramp while the loss falls
        String csv = TestCurves.text("u-shaped-clean.csv");
        List<String> lines = csv.lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            send(StepObserved.of("m", 0, Long.parseLong(c[0]), Double.parseDouble(c[1]),
                    loss(c[2]), 0L));
        }

        List<Recommendation> running = readRecommendations();
        assertThat(running).isNotEmpty().hasSizeLessThan(lines.size() / 3)
                .allMatch(r -> r.status().equals("running"));
        for (int i = 1; i < running.size(); i++) {
            Recommendation before = running.get(i - 1);
            Recommendation now = running.get(i);
            boolean verdictOrDivergence = !now.verdict().equals(before.verdict())
                    || !java.util.Objects.equals(now.divergedAtStep(), before.divergedAtStep());
            boolean pickMoved = before.pickLr() == null || now.pickLr() == null
                    || Math.abs(Math.log10(now.pickLr() / before.pickLr())) >= 0.1
                    || Math.abs(Math.log10(now.steepestLr() / before.steepestLr())) >= 0.1;
            boolean progress = now.pointsSeen() - before.pointsSeen() >= 10;
            assertThat(verdictOrDivergence || pickMoved || progress)
                    .as("recommendation %d of %d changed materially", i, running.size())
                    .isTrue();
        }
    }

    @Test
    void aDuplicateStepIsCountedWithoutAnotherRecommendation() {
        for (int step = 0; step < 30; step++) {
            send(StepObserved.of("d", 0, step, 1e-6 * Math.pow(1.3, step), 2.0 - step * 0.01,
                    0L));
        }
        readRecommendations();

        send(StepObserved.of("d", 0, 29, 1e-6 * Math.pow(1.3, 29), 5.0, 0L));
        send(SweepEnded.of("d", 0, SweepEnded.Outcome.COMPLETED, null, 29, 0L));

        assertThat(readRecommendations()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("final");
            assertThat(r.duplicates()).isEqualTo(1);
            assertThat(r.pointsSeen()).isEqualTo(30);
        });
    }

    @Test
    void runningRecommendationsWaitASecondUnlessTheVerdictOrDivergenceChanges() throws Exception {
        List<String> rows = TestCurves.text("u-shaped-clean.csv").lines().skip(1).toList();
        for (String line : rows.subList(0, 60)) {
            String[] c = line.split(",");
            send(StepObserved.of("t", 0, Long.parseLong(c[0]), Double.parseDouble(c[1]),
                    loss(c[2]), 0L));
        }
        // the wall clock stood still: only the first one and verdict changes went out
        List<Recommendation> still = readRecommendations();
        for (int i = 1; i < still.size(); i++) {
            assertThat(still.get(i).verdict()).isNotEqualTo(still.get(i - 1).verdict());
        }

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        for (String line : rows.subList(60, 68)) {
            String[] c = line.split(",");
            send(StepObserved.of("t", 0, Long.parseLong(c[0]), Double.parseDouble(c[1]),
                    loss(c[2]), 0L));
        }

        // a second later one more goes out, then again only verdict changes
        List<Recommendation> later = readRecommendations();
        assertThat(later).isNotEmpty().allMatch(r -> r.status().equals("running"));
        for (int i = 1; i < later.size(); i++) {
            assertThat(later.get(i).verdict()).isNotEqualTo(later.get(i - 1).verdict());
        }
        assertThat(later.get(later.size() - 1).pointsSeen()).isEqualTo(68);
    }
}
