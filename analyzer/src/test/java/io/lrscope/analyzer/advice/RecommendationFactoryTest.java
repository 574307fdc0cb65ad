package io.lrscope.analyzer.advice;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.TestCurves;
import io.lrscope.analyzer.offline.OfflineAnalysis;
import io.lrscope.events.Recommendation;
import org.junit.jupiter.api.Test;

class RecommendationFactoryTest {

    private static Recommendation analyze(String curve) throws Exception {
        return new OfflineAnalysis(CurveSettings.defaults(), AdviceSettings.defaults())
                .analyze(curve, TestCurves.reader(curve + ".csv"), null);
    }

    @Test
    void callsTheSteepestPointALowerBoundOnlyWhenItIsBelowThePick() throws Exception {
        Recommendation below = analyze("u-shaped-clean");
        Recommendation above = analyze("nan-mid");

        assertThat(below.steepestLr()).isLessThan(below.pickLr());
        assertThat(below.advice()).startsWith("use 2.85e-04 as the peak LR")
                .endsWith("fell fastest at 1.10e-04, a cautious lower bound");
        assertThat(above.steepestLr()).isGreaterThan(above.pickLr());
        assertThat(above.advice()).endsWith("fell fastest at 1.48e-03");
    }

    @Test
    void inconclusiveSweepAdvisesRaisingTheEndLr() throws Exception {
        Recommendation r = analyze("never-diverges");

        assertThat(r.verdict()).isEqualTo("inconclusive");
        assertThat(r.advice()).contains("raise the end LR about 10x");
    }

    @Test
    void yamlWarmupIsFivePercentOfTheTrainingSteps() {
        String yaml = TorchtuneYaml.render(3e-4, "adamw", 2000, 0.05);

        assertThat(yaml).contains("lr: 3.00e-04").contains("num_warmup_steps: 100  # 5% of 2000");
    }
}
