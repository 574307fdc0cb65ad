package io.lrscope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final SweepConfig CONFIG =
            new SweepConfig("mlp-64-32-10", "digits", "sgd", 32, 2, 4, "exponential",
                    1e-7, 1.0, 100, 42L, "host-a", "batch 32 <b>");

    private static SweepEvent decode(String json) {
        return EventJson.decodeEvent(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsEveryEventType() {
        List<SweepEvent> events = List.of(
                SweepStarted.of("s1", 1, CONFIG, 10L),
                StepObserved.of("s1", 0, 3, 2.5e-4, Double.NaN, 11L),
                SweepEnded.of("s1", 0, SweepEnded.Outcome.STOPPED, "diverged", 70, 12L));

        for (SweepEvent event : events) {
            assertThat(EventJson.decodeEvent(EventJson.encode(event))).isEqualTo(event);
        }
        assertThat(EventJson.toJson(events.get(2))).contains("\"outcome\":\"stopped\"");
    }

    @Test
    void effectiveBatchMultipliesBatchRanksAndAccumulation() {
        assertThat(CONFIG.effectiveBatch()).isEqualTo(32L * 2 * 4);
    }

    @Test
    void ignoresUnknownFieldsFromNewerMinorVersions() {
        SweepEvent event = decode("{\"type\":\"StepObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"a\","
                + "\"rank\":0,\"step\":1,\"lr\":0.1,\"loss\":2.0,\"wallMillis\":5,\"gpu\":\"x\"}");
        assertThat(event).isEqualTo(StepObserved.of("a", 0, 1, 0.1, 2.0, 5));
    }

    @Test
    void rejectsNonPositiveLrNamingFieldAndValue() {
        assertThatThrownBy(() -> decode("{\"type\":\"StepObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"a\",\"rank\":0,\"step\":1,\"lr\":-0.1,\"loss\":2.0,"
                + "\"wallMillis\":5}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("lr=-0.1: must be a finite number > 0");
    }

    @Test
    void rejectsMissingRequiredPrimitive() {
        assertThatThrownBy(() -> decode("{\"type\":\"StepObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"a\",\"rank\":0,\"lr\":0.1,\"loss\":2.0,\"wallMillis\":5}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("step");
    }

    @Test
    void rejectsUnknownTypeNewerSchemaAndGarbage() {
        assertThatThrownBy(() -> decode(
                "{\"type\":\"Bogus\",\"schemaVersion\":1,\"sweepId\":\"a\"}"))
                .hasMessageStartingWith("type=Bogus");
        assertThatThrownBy(() -> decode("{\"type\":\"StepObserved\",\"schemaVersion\":2,"
                + "\"sweepId\":\"a\",\"rank\":0,\"step\":\"x\"}"))
                .hasMessageStartingWith("schemaVersion=2: newer");
        assertThatThrownBy(() -> decode("not json")).hasMessageStartingWith("value is not JSON");
        assertThatThrownBy(() -> decode("null")).hasMessageStartingWith("value=null");
        assertThatThrownBy(() -> EventJson.decodeEvent(null)).hasMessageStartingWith("value=null");
    }

    @Test
    void rejectsConfigWithEndBelowStart() {
        SweepConfig bad = new SweepConfig("m", "d", "sgd", 32, 1, 1, "exponential",
                1e-2, 1e-3, 100, 1L, "h", null);
        assertThatThrownBy(() -> EventJson.decodeEvent(
                EventJson.encode(SweepStarted.of("s", 0, bad, 1L))))
                .hasMessage("config.endLr=0.001: must be greater than config.startLr=0.01");
    }

    @Test
    void recommendationOmitsAbsentLrsButKeepsDivergedAtStep() {
        Recommendation r = new Recommendation(1, "s", "final", "insufficient_data", 2, 3, 3, 0,
                0, 1, null, null, null, null, null, null, false, "fewer than 5 usable points",
                null, null, 32L, null, null, null, null, null, null, 1L);
        String json = EventJson.toJson(r);

        assertThat(json).doesNotContain("pickLr").doesNotContain("NaN")
                .contains("\"divergedAtStep\":null");
        assertThat(EventJson.decodeRecommendation(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(r);
    }

    @Test
    void rejectsFractionalRanksTrailingTextAndRepeatedFields() {
        String step = "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"a\","
                + "\"rank\":%s,\"step\":1,\"lr\":0.1,\"loss\":2.0,\"wallMillis\":5%s}%s";

        assertThatThrownBy(() -> decode(String.format(step, "1.5", "", "")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("rank");
        assertThatThrownBy(() -> decode(String.format(step, "0", "", " {\"x\":1}")))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> decode(String.format(step, "0", ",\"lr\":5", "")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("lr");
        assertThat(decode(String.format(step, "0", "", "  "))).isEqualTo(
                StepObserved.of("a", 0, 1, 0.1, 2.0, 5));
    }
}
