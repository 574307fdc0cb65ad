package io.lrscope.analyzer.advice;

/**
 * What the recommendation's advice needs beyond the curve: the length of the training the user
 * plans (for the warmup in the YAML block) and the warmup share.
 *
 * @param trainingSteps steps of the real training the pick is for (default 1000)
 * @param warmupFraction share of them spent warming up, 0.05–0.10 (default 0.05)
 */
public record AdviceSettings(int trainingSteps, double warmupFraction) {

    public static AdviceSettings defaults() {
        return new AdviceSettings(
                TorchtuneYaml.DEFAULT_TRAINING_STEPS, TorchtuneYaml.DEFAULT_WARMUP_FRACTION);
    }

    public AdviceSettings {
        if (trainingSteps <= 0) {
            throw new IllegalArgumentException("trainingSteps=" + trainingSteps + ": must be > 0");
        }
        if (!(warmupFraction >= 0.05 && warmupFraction <= 0.10)) {
            throw new IllegalArgumentException(
                    "warmupFraction=" + warmupFraction + ": must be in [0.05, 0.10]");
        }
    }
}
