package io.lrscope.analyzer;

/** The analysis code's version, recorded in every recommendation so a replay can match it. */
public final class AnalyzerVersion {

    /** Bump when a change to the analysis can change a recommendation's numbers. */
    public static final String CURRENT = "1.0";

    private AnalyzerVersion() {}
}
