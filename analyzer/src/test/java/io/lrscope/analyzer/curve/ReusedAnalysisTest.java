package io.lrscope.analyzer.curve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReusedAnalysisTest {

    private final CurveAnalyzer analyzer = new CurveAnalyzer(CurveSettings.defaults());

    static Stream<String> curves() {
        return Stream.concat(TestCurves.NAMES.stream(), Stream.of("field-01-nan-tail",
                "field-05-early-spike", "field-10-micro-batches", "field-18-lr-not-monotonic"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curves")
    void reusingThePreviousAnalysisGivesExactlyAFullAnalysisAfterEveryRecord(String name) {
        List<String> lines = TestCurves.text(name + ".csv").lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        List<String> columns = List.of(lines.get(0).split(","));
        int planned = (int) lines.stream().skip(1)
                .map(l -> l.split(",")[columns.indexOf("step")]).distinct().count();
        SweepCurve curve = new SweepCurve();
        CurveAnalysis previous = null;
        List<Boolean> reused = new ArrayList<>();

        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            curve.add(columns.contains("rank") ? Integer.parseInt(c[columns.indexOf("rank")]) : 0,
                    Long.parseLong(c[columns.indexOf("step")]),
                    Double.parseDouble(c[columns.indexOf("lr")]),
                    loss(c[columns.indexOf("loss")]));
            CurveAnalysis full = analyzer.analyze(curve, planned);
            CurveAnalysis next = analyzer.analyze(curve, planned, previous);

            assertThat(next).isEqualTo(full);
            reused.add(previous != null && next.smoothed() == previous.smoothed());
            previous = next;
        }
        if (name.equals("u-shaped-clean")) {
            assertThat(reused).as("points after the divergence reuse the analysis").contains(true);
        }
    }

    private static double loss(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "infinity" -> Double.POSITIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
