package io.lrscope.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lrscope.agent.data.Digits;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSessionTest {

    @Test
    void accumulatingFourMicroBatchesEqualsOneBatchFourTimesAsLarge() {
        double[] lrs = {1e-3, 1e-2, 3e-2, 0.1, 0.2, 0.3};
        try (TrainingSession accumulated = TrainingSession.digits("sgd", 0.9, 1e-4, 8, 4, 7);
                TrainingSession whole = TrainingSession.digits("sgd", 0.9, 1e-4, 32, 1, 7)) {
            for (int step = 0; step < lrs.length; step++) {
                double accumulatedLoss = accumulated.step(lrs[step]);
                double wholeLoss = whole.step(lrs[step]);
                assertThat(accumulatedLoss).as("loss of step %d", step)
                        .isCloseTo(wholeLoss, within(1e-5 * Math.abs(wholeLoss)));
            }
            assertSameWeights(accumulated.model().weights(), whole.model().weights(), 1e-5);
            assertThat(accumulated.steps()).isEqualTo(lrs.length);
        }
    }

    @Test
    void twoRanksWithAccumulationTrainLikeOneBatchOfTheEffectiveSize() {
        double[] lrs = {1e-3, 1e-2, 5e-2, 0.1};
        try (TrainingSession rank0 = TrainingSession.digits("adamw", 0, 0.01,
                        new BatchPlan(8, 2, 0, 2), 11);
                TrainingSession rank1 = TrainingSession.digits("adamw", 0, 0.01,
                        new BatchPlan(8, 2, 1, 2), 11);
                TrainingSession whole = TrainingSession.digits("adamw", 0, 0.01, 32, 1, 11)) {
            for (int step = 0; step < lrs.length; step++) {
                double loss0 = rank0.step(lrs[step]);
                double loss1 = rank1.step(lrs[step]);
                double wholeLoss = whole.step(lrs[step]);
                assertThat(loss0).isNotEqualTo(loss1);
                assertThat((loss0 + loss1) / 2).as("mean over ranks of step %d", step)
                        .isCloseTo(wholeLoss, within(1e-5 * Math.abs(wholeLoss)));
            }
            assertThat(rank0.model().weights().get("0.weight"))
                    .containsExactly(rank1.model().weights().get("0.weight"));
            assertSameWeights(rank0.model().weights(), whole.model().weights(), 1e-5);
        }
    }

    @Test
    void accumulationAveragesGradientsRatherThanSummingThem() {
        // Summed gradients would act like a 4× larger LR; with Adam the scale cancels, so SGD.
        try (TrainingSession accumulated = TrainingSession.digits("sgd", 0, 0, 8, 4, 3);
                TrainingSession summedLike = TrainingSession.digits("sgd", 0, 0, 32, 1, 3)) {
            accumulated.step(0.1);
            summedLike.step(0.4);
            float[] a = accumulated.model().weights().get("2.bias");
            float[] s = summedLike.model().weights().get("2.bias");
            assertThat(a).isNotEqualTo(s);
        }
    }

    @Test
    void stepsFreeEveryArrayTheyCreate() {
        for (String optimizer : new String[] {"sgd", "adamw"}) {
            try (TrainingSession session =
                    TrainingSession.digits(optimizer, 0.9, 0.01, 16, 2, 5)) {
                session.step(1e-3);
                session.step(1e-3);
                int afterTwoSteps = session.liveArrays();
                for (int i = 0; i < 30; i++) {
                    session.step(1e-3);
                }
                assertThat(session.liveArrays()).as(optimizer).isEqualTo(afterTwoSteps);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalTrainingAndAnotherSeedDoesNot() {
        double[] first = losses(42, 5);
        assertThat(losses(42, 5)).containsExactly(first);
        assertThat(losses(43, 5)).isNotEqualTo(first);
    }

    @Test
    void stepsWalkThroughWholeShuffledEpochs() {
        try (TrainingSession session = TrainingSession.digits("adam", 0, 0, 100, 2, 1)) {
            assertThat(session.stepsPerEpoch()).isEqualTo(Digits.split().train().size() / 200);
            for (int step = 0; step < session.stepsPerEpoch() * 2 + 1; step++) {
                assertThat(session.step(1e-3)).isFinite();
            }
        }
    }

    @Test
    void digitsSplitIs1438TrainingAnd359ValidationImages() {
        assertThat(Digits.split().train().size()).isEqualTo(1438);
        assertThat(Digits.split().validation().size()).isEqualTo(359);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : Digits.split().train().features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }

    private static double[] losses(long seed, int steps) {
        try (TrainingSession session = TrainingSession.digits("sgd", 0.9, 0, 32, 1, seed)) {
            double[] losses = new double[steps];
            for (int i = 0; i < steps; i++) {
                losses[i] = session.step(0.05);
            }
            return losses;
        }
    }

    static void assertSameWeights(Map<String, float[]> actual, Map<String, float[]> expected,
            double relative) {
        for (String name : Mlp.NAMES) {
            float[] a = actual.get(name);
            float[] e = expected.get(name);
            for (int i = 0; i < e.length; i++) {
                assertThat((double) a[i]).as("%s[%d]", name, i)
                        .isCloseTo(e[i], within(relative * Math.abs(e[i]) + 1e-6));
            }
        }
    }
}
