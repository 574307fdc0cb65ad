package io.lrscope.agent.ramp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupCosineScheduleTest {

    // 300 steps, 15 of warmup (5 %), peak 0.02: the decay spans steps 15..299 over 285 steps.
    private final WarmupCosineSchedule schedule = WarmupCosineSchedule.of(0.02, 300, 15);

    @Test
    void firstStepTrainsAtZeroLikeTorchtune() {
        assertThat(schedule.lrAt(0)).isZero();
        assertThat(schedule.lrAt(1)).isCloseTo(0.02 / 15, within(1e-15));
    }

    @Test
    void warmupEndsAtThePeak() {
        assertThat(schedule.lrAt(14)).isCloseTo(0.02 * 14 / 15, within(1e-15));
        assertThat(schedule.lrAt(15)).isEqualTo(0.02);
    }

    @Test
    void midpointOfTheDecayIsHalfThePeakAboveTheFloor() {
        WarmupCosineSchedule even = WarmupCosineSchedule.of(0.02, 0.002, 310, 10);

        // (160 - 10) / (310 - 10) = 0.5: cos(π/2) = 0
        assertThat(even.lrAt(160)).isCloseTo(0.002 + 0.018 * 0.5, within(1e-15));
        assertThat(schedule.lrAt(157)).isCloseTo(
                0.02 * 0.5 * (1 + Math.cos(Math.PI * 142 / 285)), within(1e-15));
    }

    @Test
    void lastStepIsJustAboveTheFloor() {
        double expected = 0.02 * 0.5 * (1 + Math.cos(Math.PI * 284 / 285));

        assertThat(schedule.lrAt(299)).isCloseTo(expected, within(1e-15));
        assertThat(expected).isBetween(6e-7, 6.1e-7);
        WarmupCosineSchedule floored = WarmupCosineSchedule.of(0.02, 1e-4, 300, 15);
        assertThat(floored.lrAt(299)).isCloseTo(1e-4 + (0.02 - 1e-4) * 0.5
                * (1 + Math.cos(Math.PI * 284 / 285)), within(1e-15));
    }

    @Test
    void decayNeverRisesAfterThePeak() {
        for (int step = 16; step < 300; step++) {
            assertThat(schedule.lrAt(step)).isLessThan(schedule.lrAt(step - 1));
        }
    }

    @Test
    void warmupStepsFollowTheTorchtuneYamlRule() {
        assertThat(WarmupCosineSchedule.warmupSteps(300, 0.05)).isEqualTo(15);
        assertThat(WarmupCosineSchedule.warmupSteps(44, 0.05)).isEqualTo(2);
        assertThat(WarmupCosineSchedule.warmupSteps(10, 0.05)).isEqualTo(1);
    }

    @Test
    void rejectsBadSettingsNamingFieldAndValue() {
        assertThatThrownBy(() -> WarmupCosineSchedule.of(0.02, 300, 300))
                .hasMessage("warmupSteps=300: must be in [0, steps=300)");
        assertThatThrownBy(() -> WarmupCosineSchedule.of(Double.NaN, 300, 15))
                .hasMessage("peakLr=NaN: must be a finite number > 0");
        assertThatThrownBy(() -> WarmupCosineSchedule.of(0.02, 0.03, 300, 15))
                .hasMessage("floorLr=0.03: must be in [0, peakLr=0.02)");
        assertThatThrownBy(() -> schedule.lrAt(300))
                .hasMessage("step=300: must be in 0..299");
    }
}
