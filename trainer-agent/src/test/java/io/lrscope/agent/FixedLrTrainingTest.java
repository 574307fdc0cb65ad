package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FixedLrTrainingTest {

    private final SweepSettings sgd = SweepSettings.defaults();

    @Test
    void threeEpochsAtTheDefaultSweepsPickReachNinetyPercentValidationAccuracy() {
        // The default SGD sweep (1e-7..1, 100 steps) picks about 1e-1; 300 steps about 7e-2.
        assertThat(FixedLrTraining.validationAccuracy(sgd, 1e-1, 3)).isGreaterThanOrEqualTo(0.9);
        assertThat(FixedLrTraining.validationAccuracy(sgd, 7e-2, 3)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void adamwAtItsPickAlsoReachesNinetyPercent() {
        SweepSettings adamw = sgd.withOptimizer("adamw", 0, 0.01);
        assertThat(FixedLrTraining.validationAccuracy(adamw, 2e-2, 3))
                .isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void anLrFarBelowThePickDoesNotLearnInThreeEpochs() {
        assertThat(FixedLrTraining.validationAccuracy(sgd, 1e-4, 3)).isLessThan(0.5);
    }

    @Test
    void trainingRunsWholeEpochsOfTheSweepsBatch() {
        FixedLrTraining.Result result = FixedLrTraining.train(sgd.withBatch(8, 4), 0.05, 2);

        assertThat(result.losses()).hasSize(2 * (1438 / 32));
        assertThat(result.losses()[result.losses().length - 1]).isLessThan(result.losses()[0]);
    }

    @Test
    void rejectsNonPositiveLrAndEpochs() {
        assertThatThrownBy(() -> FixedLrTraining.train(sgd, 0, 3))
                .hasMessage("lr=0.0: must be a finite number > 0");
        assertThatThrownBy(() -> FixedLrTraining.train(sgd, 0.1, 0))
                .hasMessage("epochs=0: must be > 0");
    }
}
