package io.lrscope.analyzer.offline;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.advice.RecommendationFactory;
import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveCsv;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.Recommendation;
import java.io.IOException;
import java.io.Reader;

/**
 * {@code lrscope analyze}: the recommendation for a sweep saved as CSV, made by the same curve
 * analysis and recommendation factory the Streams analyzer uses, so both give the same numbers.
 */
public final class OfflineAnalysis {

    private final CurveAnalyzer analyzer;
    private final RecommendationFactory factory;

    public OfflineAnalysis(CurveSettings curveSettings, AdviceSettings adviceSettings) {
        this.analyzer = new CurveAnalyzer(curveSettings);
        this.factory = new RecommendationFactory(curveSettings, adviceSettings);
    }

    /**
     * Reads the whole CSV first (a bad line fails it all, naming line and field), then analyses.
     *
     * @param sweepId the id to report, usually the file name
     * @param plannedSteps the sweep's planned steps if known, else null
     */
    public Recommendation analyze(String sweepId, Reader csv, Integer plannedSteps)
            throws IOException {
        SweepCurve curve = CurveCsv.read(csv);
        CurveAnalysis analysis = analyzer.analyze(curve, plannedSteps);
        return factory.build(sweepId, Recommendation.FINAL, analysis, null, plannedSteps,
                "offline analysis", curve.lastStep(), System.currentTimeMillis());
    }
}
