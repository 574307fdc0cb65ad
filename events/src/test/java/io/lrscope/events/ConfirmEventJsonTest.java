package io.lrscope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfirmEventJsonTest {

    private static SweepEvent decode(String json) {
        return EventJson.decodeEvent(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsEveryConfirmEventAsASweepEvent() {
        List<SweepEvent> events = List.of(
                ConfirmStarted.of("s1", "x0.3", 3, 2e-2, 0.3, 6e-3, 300, 15, 10L),
                ConfirmStepObserved.of("s1", "x0.3", 0, 0.0, 2.31, null, null, 11L),
                ConfirmStepObserved.of("s1", "x0.3", 299, 1e-9, Double.NaN, 0.12, 0.97, 12L),
                ConfirmEnded.of("s1", "x0.3", ConfirmEnded.Outcome.COMPLETED, "300 steps", 299,
                        0.12, 0.97, 13L));

        for (SweepEvent event : events) {
            assertThat(EventJson.decodeEvent(EventJson.encode(event))).isEqualTo(event);
            assertThat(event).isInstanceOf(ConfirmEvent.class);
        }
        assertThat(EventJson.toJson(events.get(1)))
                .contains("\"type\":\"ConfirmStepObserved\"")
                .doesNotContain("validationLoss");
        assertThat(EventJson.toJson(events.get(3))).contains("\"outcome\":\"completed\"");
    }

    @Test
    void firstWarmupStepAtLrZeroIsValid() {
        SweepEvent step = decode("{\"type\":\"ConfirmStepObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"s\",\"runId\":\"x1\",\"step\":0,\"lr\":0,\"trainLoss\":2.3,"
                + "\"wallMillis\":1}");

        assertThat(((ConfirmStepObserved) step).lr()).isZero();
    }

    @Test
    void rejectsWarmupAsLongAsTheRunNamingBothValues() {
        assertThatThrownBy(() -> EventJson.decodeEvent(EventJson.encode(
                ConfirmStarted.of("s", "x1", 3, 1e-2, 1, 1e-2, 100, 100, 1L))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("warmupSteps=100: must be below steps=100");
    }

    @Test
    void rejectsNegativeLrAndAccuracyAboveOne() {
        assertThatThrownBy(() -> decode("{\"type\":\"ConfirmStepObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"s\",\"runId\":\"x1\",\"step\":3,\"lr\":-1e-3,\"trainLoss\":2.3,"
                + "\"wallMillis\":1}"))
                .hasMessage("lr=-0.001: must be a finite number >= 0");
        assertThatThrownBy(() -> EventJson.decodeEvent(EventJson.encode(
                ConfirmEnded.of("s", "x1", ConfirmEnded.Outcome.COMPLETED, "", 9, 0.2, 1.5, 1L))))
                .hasMessage("validationAccuracy=1.5: must be in [0, 1]");
    }

    @Test
    void completedRunNeedsItsFinalValidationLoss() {
        assertThatThrownBy(() -> EventJson.decodeEvent(EventJson.encode(
                ConfirmEnded.of("s", "x3", ConfirmEnded.Outcome.COMPLETED, "", 9, null, null, 1L))))
                .hasMessage("finalValidationLoss=null: required when outcome=completed");
        ConfirmEnded diverged = ConfirmEnded.of("s", "x3", ConfirmEnded.Outcome.DIVERGED,
                "loss=NaN at step 40", 40, null, null, 1L);
        assertThat(EventJson.decodeEvent(EventJson.encode(diverged))).isEqualTo(diverged);
    }

    @Test
    void missingRunIdIsRejectedByName() {
        assertThatThrownBy(() -> decode("{\"type\":\"ConfirmEnded\",\"schemaVersion\":1,"
                + "\"sweepId\":\"s\",\"outcome\":\"failed\",\"lastStep\":1,\"wallMillis\":1}"))
                .hasMessage("runId=null: required, must not be blank");
    }

    @Test
    void recommendationWithoutConfirmationReadsAsBeforeAndOneWithItRoundTrips() {
        String old = "{\"schemaVersion\":1,\"sweepId\":\"s\",\"status\":\"final\","
                + "\"verdict\":\"pick\",\"lastStep\":9,\"pointsSeen\":10,\"pointsUsed\":9,"
                + "\"burnIn\":1,\"duplicates\":0,\"ranks\":1,\"pickLr\":0.01,"
                + "\"divergedAtStep\":null,\"inconclusive\":false,\"updatedMillis\":5}";
        Recommendation r = EventJson.decodeRecommendation(old.getBytes(StandardCharsets.UTF_8));
        assertThat(r.confirmation()).isNull();
        assertThat(EventJson.toJson(r)).doesNotContain("confirmation");

        Recommendation.Confirmation confirmation = new Recommendation.Confirmation(
                Recommendation.Confirmation.HIGHER, 0.03, 3.0, 0.01, true,
                "the highest factor won; try a wider set", List.of(
                        new Recommendation.ConfirmRunResult("x3", 1, 3, 0.03, 300, 15,
                                "completed", 0.08, 0.98),
                        new Recommendation.ConfirmRunResult("x1", 2, 1, 0.01, 300, 15,
                                "completed", 0.11, 0.97)), "optimizer:\n  lr: 3.00e-02\n");
        Recommendation confirmed = r.withConfirmation(confirmation, 6L);
        String json = EventJson.toJson(confirmed);

        assertThat(json).contains("\"confirmedLr\":0.03").contains("\"rank\":1");
        assertThat(EventJson.decodeRecommendation(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(confirmed);
        assertThat(confirmed.updatedMillis()).isEqualTo(6L);
        assertThat(confirmed.pickLr()).isEqualTo(0.01);
    }
}
