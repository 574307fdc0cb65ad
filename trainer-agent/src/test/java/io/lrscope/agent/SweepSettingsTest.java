package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SweepSettingsTest {

    private final SweepSettings defaults = SweepSettings.defaults();

    @Test
    void defaultsAreTheDigitsSgdSweepOf100Steps() {
        assertThatCode(defaults::validate).doesNotThrowAnyException();
        assertThat(defaults.model()).isEqualTo("digits-mlp");
        assertThat(defaults.optimizer()).isEqualTo("sgd");
        assertThat(defaults.momentum()).isEqualTo(0.9);
        assertThat(defaults.batchSize()).isEqualTo(32);
        assertThat(defaults.startLr()).isEqualTo(1e-7);
        assertThat(defaults.endLr()).isEqualTo(1.0);
        assertThat(defaults.steps()).isEqualTo(100);
        assertThat(defaults.seed()).isEqualTo(42L);
        assertThat(defaults.sweepId()).isNotBlank()
                .isNotEqualTo(SweepSettings.defaults().sweepId());
        assertThat(defaults.withBatch(16, 4).effectiveBatch()).isEqualTo(64);
    }

    @Test
    void startLrNotBelowEndLrIsRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> defaults.withRamp("exponential", 0.1, 0.01, 100).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endLr=0.01: must be greater than startLr=0.1");
        assertThatThrownBy(() -> defaults.withRamp("exponential", 0.1, 0.1, 100).validate())
                .hasMessage("endLr=0.1: must be greater than startLr=0.1");
    }

    @Test
    void nonPositiveLrIsRejected() {
        assertThatThrownBy(() -> defaults.withRamp("exponential", 0, 1, 100).validate())
                .hasMessage("startLr=0.0: must be a finite number > 0");
        assertThatThrownBy(() -> defaults.withRamp("linear", -1e-3, 1, 100).validate())
                .hasMessage("startLr=-0.001: must be a finite number > 0");
        assertThatThrownBy(() -> defaults.withRamp("linear", 1e-3, Double.NaN, 100).validate())
                .hasMessage("endLr=NaN: must be a finite number > 0");
    }

    @Test
    void nonPositiveStepsAreRejected() {
        assertThatThrownBy(() -> defaults.withRamp("exponential", 1e-7, 1, 0).validate())
                .hasMessage("steps=0: must be >= 2");
        assertThatThrownBy(() -> defaults.withRamp("exponential", 1e-7, 1, -5).validate())
                .hasMessage("steps=-5: must be >= 2");
    }

    @Test
    void unknownOptimizerOrRampIsRejected() {
        assertThatThrownBy(() -> defaults.withOptimizer("rmsprop", 0, 0).validate())
                .hasMessage("optimizer=rmsprop: must be sgd, adam or adamw");
        assertThatThrownBy(() -> defaults.withRamp("cosine", 1e-7, 1, 100).validate())
                .hasMessage("ramp=cosine: must be exponential or linear");
    }

    @Test
    void batchAndAccumulationMustBePositiveAndFitTheData() {
        assertThatThrownBy(() -> defaults.withBatch(0, 1).validate())
                .hasMessage("batchSize=0: must be > 0");
        assertThatThrownBy(() -> defaults.withBatch(32, 0).validate())
                .hasMessage("gradAccum=0: must be > 0");
        assertThatThrownBy(() -> defaults.withBatch(1024, 2).validate())
                .hasMessageStartingWith(
                        "batchSize=1024: must be such that "
                                + "batchSize×devices×dpDegree×gradAccum");
    }

    @Test
    void rankMustBeBelowDpDegree() {
        assertThatCode(() -> defaults.withRank(1, 2).validate()).doesNotThrowAnyException();
        assertThat(defaults.withRank(1, 2).withBatch(16, 4).effectiveBatch()).isEqualTo(128);
        assertThatThrownBy(() -> defaults.withRank(2, 2).validate())
                .hasMessage("rank=2: must be in 0..1");
        assertThatThrownBy(() -> defaults.withRank(0, 0).validate())
                .hasMessage("dpDegree=0: must be in 1..64");
    }

    @Test
    void messagesAreOneLine() {
        assertThatThrownBy(() -> defaults.withSweepId("a\nb").validate())
                .hasMessage("sweepId=a?b: must be 1-128 printable characters");
    }
}
