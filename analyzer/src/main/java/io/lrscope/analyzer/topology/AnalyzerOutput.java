package io.lrscope.analyzer.topology;

import io.lrscope.events.Recommendation;
import io.lrscope.events.StopSweep;

/** What the analysis step emits: a recommendation, or a stop command for the sweep's agents. */
record AnalyzerOutput(Recommendation recommendation, StopSweep stop) {

    static AnalyzerOutput of(Recommendation recommendation) {
        return new AnalyzerOutput(recommendation, null);
    }

    static AnalyzerOutput of(StopSweep stop) {
        return new AnalyzerOutput(null, stop);
    }
}
