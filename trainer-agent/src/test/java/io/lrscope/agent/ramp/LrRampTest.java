package io.lrscope.agent.ramp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrRampTest {

    @Test
    void exponentialRampStartsAndEndsExactlyAndHasOneLrPerStep() {
        LrRamp ramp = LrRamp.exponential(1e-7, 1.0, 100);

        assertThat(ramp.steps()).isEqualTo(100);
        assertThat(ramp.values()).hasSize(100);
        assertThat(ramp.lrAt(0)).isEqualTo(1e-7);
        assertThat(ramp.lrAt(99)).isEqualTo(1.0);
        assertStrictlyIncreasing(ramp.values());
    }

    @Test
    void exponentialRampSpacesLrsEvenlyOnALogAxis() {
        LrRamp ramp = LrRamp.exponential(1e-6, 1e-2, 5);

        assertThat(ramp.values()).containsExactly(
                new double[] {1e-6, 1e-5, 1e-4, 1e-3, 1e-2}, within(1e-15));
        // lr_i = start·(end/start)^(i/(n-1)), e.g. the middle of 1e-7..1 over 100 steps
        assertThat(LrRamp.exponential(1e-7, 1.0, 100).lrAt(50))
                .isCloseTo(1e-7 * Math.pow(1e7, 50.0 / 99), within(1e-18));
    }

    @Test
    void linearRampSpacesLrsEvenly() {
        LrRamp ramp = LrRamp.linear(0.1, 0.5, 5);

        assertThat(ramp.kind()).isEqualTo(LrRamp.Kind.LINEAR);
        assertThat(ramp.values()).containsExactly(
                new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, within(1e-15));
        assertStrictlyIncreasing(LrRamp.linear(1e-7, 1, 300).values());
    }

    @Test
    void kindParsesWireNamesInAnyCase() {
        assertThat(LrRamp.Kind.parse("Exponential")).isEqualTo(LrRamp.Kind.EXPONENTIAL);
        assertThat(LrRamp.Kind.parse("linear")).isEqualTo(LrRamp.Kind.LINEAR);
        assertThatThrownBy(() -> LrRamp.Kind.parse("cosine"))
                .hasMessage("ramp=cosine: must be exponential or linear");
    }

    @Test
    void rejectsRangesThatAreNotARamp() {
        assertThatThrownBy(() -> LrRamp.exponential(1.0, 1e-3, 10))
                .hasMessage("endLr=0.001: must be greater than startLr=1.0");
        assertThatThrownBy(() -> LrRamp.exponential(0, 1, 10))
                .hasMessage("startLr=0.0: must be a finite number > 0");
        assertThatThrownBy(() -> LrRamp.linear(1e-3, 1, 1))
                .hasMessageStartingWith("steps=1: must be >= 2");
    }

    private static void assertStrictlyIncreasing(double[] lrs) {
        for (int i = 1; i < lrs.length; i++) {
            assertThat(lrs[i]).as("lr of step %d", i).isGreaterThan(lrs[i - 1]);
        }
    }
}
