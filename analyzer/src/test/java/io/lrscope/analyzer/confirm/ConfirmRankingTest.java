package io.lrscope.analyzer.confirm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEnded.Outcome;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.Recommendation;
import io.lrscope.events.Recommendation.ConfirmRunResult;
import io.lrscope.events.Recommendation.Confirmation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfirmRankingTest {

    private static final double PICK = 0.02;

    private static ConfirmStarted start(String runId, double factor) {
        return ConfirmStarted.of("s", runId, 3, PICK, factor, PICK * factor, 300, 15, 1L);
    }

    private static ConfirmEnded done(String runId, double loss, double accuracy) {
        return ConfirmEnded.of("s", runId, Outcome.COMPLETED, "", 299, loss, accuracy, 2L);
    }

    private static ConfirmRuns threeRuns(ConfirmEnded low, ConfirmEnded pick, ConfirmEnded high) {
        return ConfirmRuns.of(
                List.of(start("x0.3", 0.3), start("x1", 1), start("x3", 3)),
                List.of(low, pick, high));
    }

    private static Confirmation rank(ConfirmRuns runs) {
        return ConfirmRanking.rank(runs, "sgd", 1000, 0.05);
    }

    @Test
    void pickWithTheLowestValidationLossIsConfirmed() {
        Confirmation c = rank(threeRuns(done("x0.3", 0.140, 0.95), done("x1", 0.081, 0.975),
                done("x3", 0.095, 0.97)));

        assertThat(c.verdict()).isEqualTo("pick_confirmed");
        assertThat(c.confirmedLr()).isEqualTo(0.02);
        assertThat(c.confirmedFactor()).isEqualTo(1.0);
        assertThat(c.atEdge()).isFalse();
        assertThat(c.runs()).extracting(ConfirmRunResult::runId)
                .containsExactly("x1", "x3", "x0.3");
        assertThat(c.runs()).extracting(ConfirmRunResult::rank).containsExactly(1, 2, 3);
        assertThat(c.runs().get(0).validationAccuracy()).isEqualTo(0.975);
        assertThat(c.advice()).isEqualTo("the pick 2.00e-02 trained best (final validation loss "
                + "×1 0.0810, ×3 0.0950, ×0.3 0.1400)");
        assertThat(c.torchtuneYaml()).contains("lr: 2.00e-02").contains("num_warmup_steps: 50");
    }

    @Test
    void higherFactorThatWinsAtTheEdgeSaysAHigherLrMayBeBetter() {
        Confirmation c = rank(threeRuns(done("x0.3", 0.30, 0.9), done("x1", 0.12, 0.96),
                done("x3", 0.07, 0.98)));

        assertThat(c.verdict()).isEqualTo("higher");
        assertThat(c.confirmedLr()).isEqualTo(0.06);
        assertThat(c.confirmedFactor()).isEqualTo(3.0);
        assertThat(c.atEdge()).isTrue();
        assertThat(c.advice()).endsWith("so a higher LR may be better still");
        assertThat(c.torchtuneYaml()).contains("lr: 6.00e-02");
    }

    @Test
    void divergedRunsRankLastAndAreNeverConfirmed() {
        Confirmation c = rank(threeRuns(done("x0.3", 0.09, 0.97), done("x1", 0.08, 0.97),
                ConfirmEnded.of("s", "x3", Outcome.DIVERGED, "loss=NaN at step 40", 40, null,
                        null, 3L)));

        assertThat(c.confirmedLr()).isEqualTo(0.02);
        assertThat(c.runs().get(2).runId()).isEqualTo("x3");
        assertThat(c.runs().get(2).rank()).isEqualTo(3);
        assertThat(c.runs().get(2).outcome()).isEqualTo("diverged");
        assertThat(c.runs().get(2).finalValidationLoss()).isNull();
    }

    @Test
    void noRunWithAValidationLossGivesNoConfirmedLr() {
        ConfirmEnded failed = ConfirmEnded.of("s", "x1", Outcome.FAILED, "boom", 3, null, null, 1L);
        ConfirmRuns runs = ConfirmRuns.of(List.of(ConfirmStarted.of("s", "x1", 1, PICK, 1, PICK,
                300, 15, 1L)), List.of(failed));

        Confirmation c = rank(runs);

        assertThat(c.verdict()).isEqualTo("no_result");
        assertThat(c.confirmedLr()).isNull();
        assertThat(c.torchtuneYaml()).isNull();
        assertThat(c.runs()).extracting(ConfirmRunResult::rank).containsExactly(1);
    }

    @Test
    void aTieGoesToThePick() {
        Confirmation c = rank(threeRuns(done("x0.3", 0.08, 0.97), done("x1", 0.08, 0.97),
                done("x3", 0.08, 0.97)));

        assertThat(c.confirmedFactor()).isEqualTo(1.0);
    }

    @Test
    void nothingIsConfirmedUntilEveryAnnouncedRunEnded() {
        ConfirmRuns runs = new ConfirmRuns();
        runs.apply(start("x0.3", 0.3));
        runs.apply(done("x0.3", 0.1, 0.9));
        runs.apply(start("x1", 1));
        runs.apply(ConfirmStepObserved.of("s", "x1", 0, 0, 2.3, null, null, 1L));
        runs.apply(done("x1", 0.08, 0.97));

        // two of the three announced runs ended; the third has not even started
        assertThat(rank(runs)).isNull();

        runs.apply(start("x3", 3));
        assertThat(rank(runs)).isNull();
        runs.apply(done("x3", 0.2, 0.9));
        assertThat(rank(runs).confirmedFactor()).isEqualTo(1.0);
    }

    @Test
    void repeatedRecordsChangeNothing() {
        ConfirmRuns runs = threeRuns(done("x0.3", 0.14, 0.95), done("x1", 0.08, 0.97),
                done("x3", 0.09, 0.97));

        assertThat(runs.apply(done("x1", 5.0, 0.1))).isFalse();
        assertThat(runs.apply(start("x1", 1))).isFalse();
        assertThat(rank(runs).runs().get(0).finalValidationLoss()).isEqualTo(0.08);
    }

    @Test
    void confirmAddsTheConfirmationToTheRecommendationOnlyWhenComplete() {
        Recommendation r = new Recommendation(1, "s", "final", "pick", 299, 300, 250, 30, 0, 1,
                1.2, 0.2, PICK, 0.005, null, null, false, null, null, null, 32L, null,
                "completed", null, null, "yaml", null, 5L);
        AdviceSettings advice = AdviceSettings.defaults();
        ConfirmRuns partial = new ConfirmRuns();
        partial.apply(start("x1", 1));

        assertThat(ConfirmRanking.confirm(r, partial, advice, 9L)).isSameAs(r);

        Recommendation confirmed = ConfirmRanking.confirm(r, threeRuns(done("x0.3", 0.14, 0.95),
                done("x1", 0.08, 0.97), done("x3", 0.09, 0.97)), advice, 9L);
        assertThat(confirmed.confirmation().confirmedLr()).isEqualTo(0.02);
        assertThat(confirmed.confirmation().torchtuneYaml())
                .contains("torch.optim.AdamW"); // no config: the YAML's default optimizer
        assertThat(confirmed.pickLr()).isEqualTo(PICK);
        assertThat(confirmed.updatedMillis()).isEqualTo(9L);
    }
}
