package io.lrscope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsObservedTest {

    private static SweepEvent decode(String json) {
        return EventJson.decodeEvent(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void severalStepsRoundTripInOrderWithNonFiniteLoss() {
        StepsObserved batch = StepsObserved.of("s1", 1, List.of(
                new StepsObserved.Step(7, 1e-4, 2.5),
                new StepsObserved.Step(8, 1.2e-4, Double.NaN)), 11L);

        SweepEvent decoded = EventJson.decodeEvent(EventJson.encode(batch));

        assertThat(decoded).isEqualTo(batch);
    }

    @Test
    void aBadStepIsNamedByItsIndex() {
        assertThatThrownBy(() -> decode("{\"type\":\"StepsObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"a\",\"rank\":0,\"steps\":[{\"step\":1,\"lr\":0.1,\"loss\":2},"
                + "{\"step\":2,\"lr\":0,\"loss\":2}],\"wallMillis\":1}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("steps[1].lr=0.0: must be a finite number > 0");
    }

    @Test
    void aBatchNeedsAtLeastOneStep() {
        assertThatThrownBy(() -> decode("{\"type\":\"StepsObserved\",\"schemaVersion\":1,"
                + "\"sweepId\":\"a\",\"rank\":0,\"steps\":[],\"wallMillis\":1}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("steps=[]: required, at least one step");
    }
}
