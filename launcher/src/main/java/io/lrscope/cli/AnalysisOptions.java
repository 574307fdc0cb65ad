package io.lrscope.cli;

import io.lrscope.analyzer.advice.TorchtuneYaml;
import io.lrscope.analyzer.curve.CurveSettings;
import picocli.CommandLine.Option;

/** The analysis knobs shared by analyze, replay, serve-analyzer and demo. */
final class AnalysisOptions {

    @Option(names = "--beta", defaultValue = "${env:LRSCOPE_BETA:-0.98}",
            description = "smoothing of the loss the picks use (default ${DEFAULT-VALUE})")
    double beta;

    @Option(names = "--beta-fast", defaultValue = "${env:LRSCOPE_BETA_FAST:-0.9}",
            description = "smoothing of the loss divergence is detected on "
                    + "(default ${DEFAULT-VALUE})")
    double betaFast;

    @Option(names = "--divergence-factor",
            defaultValue = "${env:LRSCOPE_DIVERGENCE_FACTOR:-3}",
            description = "diverged when the fast loss exceeds this x its best "
                    + "(default ${DEFAULT-VALUE})")
    double divergenceFactor;

    @Option(names = "--min-descent", defaultValue = "${env:LRSCOPE_MIN_DESCENT:-0.01}",
            description = "no pick unless the loss fell this fraction below its start "
                    + "(default ${DEFAULT-VALUE})")
    double minDescent;

    @Option(names = "--training-steps", defaultValue = "${env:LRSCOPE_TRAINING_STEPS:-"
            + TorchtuneYaml.DEFAULT_TRAINING_STEPS + "}",
            description = "length of the real training, for the YAML warmup "
                    + "(default ${DEFAULT-VALUE})")
    int trainingSteps;

    @Option(names = "--warmup-fraction", defaultValue = "${env:LRSCOPE_WARMUP_FRACTION:-0.05}",
            description = "warmup share of the training steps, 0.05-0.10 "
                    + "(default ${DEFAULT-VALUE})")
    double warmupFraction;

    CurveSettings curveSettings() {
        return new CurveSettings(beta, betaFast, divergenceFactor, minDescent,
                CurveSettings.defaults().burnInFraction());
    }
}
