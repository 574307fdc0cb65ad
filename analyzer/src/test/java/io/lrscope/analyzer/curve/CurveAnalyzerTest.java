package io.lrscope.analyzer.curve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class CurveAnalyzerTest {

    static final List<String> CURVES = TestCurves.NAMES;
    private static final double RELATIVE = 1e-9;

    private final CurveAnalyzer analyzer = new CurveAnalyzer(CurveSettings.defaults());

    @ParameterizedTest(name = "{0}")
    @FieldSource("CURVES")
    void matchesWorkedOutAnswer(String name) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(TestCurves.text(name + ".expected.json"));

        CurveAnalysis result = analyzer.analyze(TestCurves.curve(name), null);

        assertThat(result.burnIn()).as("burnIn").isEqualTo(expected.get("burnIn").asInt());
        assertThat(result.pointsUsed()).as("pointsUsed")
                .isEqualTo(expected.get("pointsUsed").asInt());
        assertThat(result.duplicates()).as("duplicates")
                .isEqualTo(expected.get("duplicates").asInt());
        assertThat(result.ranks()).as("ranks").isEqualTo(expected.get("ranks").asInt());
        assertThat(result.divergedAtStep()).as("divergedAtStep")
                .isEqualTo(expected.get("divergedAtStep").isNull()
                        ? null : expected.get("divergedAtStep").asLong());
        assertClose("minLoss", result.minLoss(), expected.get("minLoss"));
        assertClose("minLossLr", result.minLossLr(), expected.get("minLossLr"));
        assertClose("pickLr", result.pickLr(), expected.get("pickLr"));
        assertClose("steepestLr", result.steepestLr(), expected.get("steepestLr"));
        if (expected.has("inconclusive")) {
            assertThat(result.inconclusive()).as("inconclusive")
                    .isEqualTo(expected.get("inconclusive").asBoolean());
        }
        if (expected.has("reason")) {
            assertThat(result.reason()).as("reason").isEqualTo(expected.get("reason").asText());
        } else {
            assertThat(result.reason()).as("reason").isNull();
        }
        JsonNode smoothed = expected.get("smoothed");
        if (smoothed != null) {
            assertThat(result.smoothed()).hasSize(smoothed.size());
            for (int k = 0; k < smoothed.size(); k++) {
                assertClose("smoothed[" + k + "]", result.smoothed().get(k).smoothed(),
                        smoothed.get(k));
            }
        }
    }

    private static void assertClose(String field, Double actual, JsonNode expected) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).as(field).isNull();
            return;
        }
        assertThat(actual).as(field).isNotNull();
        double want = expected.asDouble();
        assertThat(actual).as(field).isCloseTo(want, within(Math.abs(want) * RELATIVE));
    }

    private CurveAnalysis analyzeCsv(String csv) throws Exception {
        return analyzer.analyze(CurveCsv.read(new StringReader(csv)), null);
    }

    @Test
    void nanTailGivesFinitePickAndDivergenceAtFirstNan() throws Exception {
        // field case 01: loss NaN from step 20 on
        CurveAnalysis result = analyzeCsv(TestCurves.text("field-01-nan-tail.csv"));

        assertThat(result.divergedAtStep()).isEqualTo(20L);
        assertThat(result.divergence()).isEqualTo("loss is NaN at step 20");
        // On 18 usable points the 0.98 EMA lags a little: its minimum sits at lr 3.162e-2, not
        // the raw 1e-2, so the pick is 3.162e-3; never in the rising or NaN tail.
        assertThat(result.minLossLr()).isEqualTo(3.162e-2);
        assertThat(result.pickLr()).isCloseTo(3.162e-3, within(1e-15));
        assertThat(result.steepestLr()).isEqualTo(1.778e-3).isBetween(1e-4, 1e-2);
        assertThat(result.smoothed()).allMatch(p -> Double.isFinite(p.smoothed()));
    }

    @Test
    void earlySpikeDoesNotPullSteepestToTheStart() throws Exception {
        // field case 05: a one-step spike at step 1
        CurveAnalysis result = analyzeCsv(TestCurves.text("field-05-early-spike.csv"));

        assertThat(result.steepestLr()).isEqualTo(1.778e-3).isBetween(1e-4, 1e-2);
        assertThat(result.steepestLr()).isGreaterThan(5.623e-6);
        assertThat(result.pickLr()).isCloseTo(3.162e-3, within(1e-15));
    }

    @Test
    void flatCurveSmoothsToItsValueAndHasNoPickNorDivergence() throws Exception {
        // field case 07: constant loss 2.0; a zero-initialised EMA would rise and "diverge"
        StringBuilder csv = new StringBuilder("step,lr,loss\n");
        for (int i = 0; i < 12; i++) {
            csv.append(i).append(',').append(1e-6 * Math.pow(1e5, i / 11.0)).append(",2.0\n");
        }
        CurveAnalysis result = analyzeCsv(csv.toString());

        assertThat(result.smoothed()).hasSize(11)
                .allSatisfy(p -> assertThat(p.smoothed()).isCloseTo(2.0, within(1e-9)));
        assertThat(result.divergedAtStep()).isNull();
        assertThat(result.verdict()).isEqualTo(Verdict.NO_DESCENT);
        assertThat(result.pickLr()).isNull();
    }

    @Test
    void tooFewPointsGiveNoLrButAReason() throws Exception {
        // field case 09: 3 events, 1 event, none
        for (String csv : List.of(
                "step,lr,loss\n0,1.0e-06,2.30\n1,1.0e-05,2.29\n2,1.0e-04,2.31\n",
                "step,lr,loss\n0,1.0e-06,2.30\n",
                "step,lr,loss\n")) {
            CurveAnalysis result = analyzeCsv(csv);

            assertThat(result.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
            assertThat(result.pickLr()).isNull();
            assertThat(result.steepestLr()).isNull();
            assertThat(result.reason()).isEqualTo("fewer than 5 usable points");
        }
    }

    @Test
    void microBatchRowsDoNotBecomeExtraPoints() throws Exception {
        // field case 10: 4 optimizer steps logged once per micro-batch
        CurveAnalysis result = analyzeCsv(TestCurves.text("field-10-micro-batches.csv"));

        assertThat(result.points()).hasSize(4);
        assertThat(result.duplicates()).isEqualTo(12);
    }

    @Test
    void lrChangingWithinAStepMakesTheSweepInvalid() throws Exception {
        // field case 10, variant c10-bad: lr rises on every micro-batch row
        StringBuilder csv = new StringBuilder("step,lr,loss\n");
        for (int row = 0; row < 16; row++) {
            csv.append(row / 4).append(',').append(1e-5 * Math.pow(10, 0.25 * row))
                    .append(",2.0\n");
        }
        CurveAnalysis result = analyzeCsv(csv.toString());

        assertThat(result.verdict()).isEqualTo(Verdict.INVALID_SWEEP);
        assertThat(result.reason()).contains("lr changed within step 0");
        assertThat(result.pickLr()).isNull();
    }

    @Test
    void lrThatFallsBackMakesTheSweepInvalidAtTheFirstBreach() throws Exception {
        // field case 18: lr rises to step 6 then falls
        CurveAnalysis result = analyzeCsv(TestCurves.text("field-18-lr-not-monotonic.csv"));

        assertThat(result.verdict()).isEqualTo(Verdict.INVALID_SWEEP);
        assertThat(result.reason()).startsWith("invalid sweep: lr not monotonic at step 7");
        assertThat(result.pickLr()).isNull();
        assertThat(result.minLossLr()).isNull();
    }

    @Test
    void csvWithAByteOrderMarkReadsLikeAnyOther() throws Exception {
        CurveAnalysis plain = analyzeCsv(TestCurves.text("u-shaped-clean.csv"));
        CurveAnalysis marked = analyzeCsv("\uFEFF" + TestCurves.text("u-shaped-clean.csv"));

        assertThat(marked.pickLr()).isEqualTo(plain.pickLr()).isNotNull();
    }

    @Test
    void allZeroLossIsFlatNotAPick() throws Exception {
        // field case 14 (c14-b), long enough to have usable points: loss 0 at every step
        StringBuilder csv = new StringBuilder("step,lr,loss\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(',').append(1e-6 * Math.pow(10, i / 4.0)).append(",0\n");
        }
        CurveAnalysis result = analyzeCsv(csv.toString());

        assertThat(result.verdict()).isEqualTo(Verdict.NO_DESCENT);
        assertThat(result.pickLr()).isNull();
        assertThat(result.divergedAtStep()).isNull();
    }

    @Test
    void plannedStepsSetTheBurnIn() throws Exception {
        CurveAnalysis result = analyzer.analyze(TestCurves.curve("u-shaped-clean"), 200);

        assertThat(result.burnIn()).isEqualTo(20);
        assertThat(result.plannedSteps()).isEqualTo(200);
    }
}
