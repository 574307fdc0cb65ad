package io.lrscope.analyzer.advice;

import java.util.Locale;

/**
 * A torchtune-style block to paste into a fine-tuning config: the optimizer the sweep used with
 * the pick as its LR, and cosine decay after a linear warmup.
 *
 * <p>Warmup is {@link #DEFAULT_WARMUP_FRACTION} of the training steps: the pick already sits a
 * decade below where the loss blew up, so the warmup only has to carry the first noisy updates
 * (and Adam's young moment estimates) past their worst; 5 % does that at the low end of the
 * usual 5–10 % and leaves the most steps at the peak.
 */
public final class TorchtuneYaml {

    public static final double DEFAULT_WARMUP_FRACTION = 0.05;
    public static final int DEFAULT_TRAINING_STEPS = 1000;

    private TorchtuneYaml() {}

    public static int warmupSteps(int trainingSteps, double warmupFraction) {
        return Math.max(1, (int) Math.round(trainingSteps * warmupFraction));
    }

    public static String render(
            double lr, String optimizer, int trainingSteps, double warmupFraction) {
        if (trainingSteps <= 0) {
            throw new IllegalArgumentException("trainingSteps=" + trainingSteps + ": must be > 0");
        }
        if (!(warmupFraction >= 0.05 && warmupFraction <= 0.10)) {
            throw new IllegalArgumentException(
                    "warmupFraction=" + warmupFraction + ": must be in [0.05, 0.10]");
        }
        String name = optimizer == null ? "adamw" : optimizer.toLowerCase(Locale.ROOT);
        String component = switch (name) {
            case "sgd" -> "torch.optim.SGD";
            case "adam" -> "torch.optim.Adam";
            default -> "torch.optim.AdamW";
        };
        StringBuilder yaml = new StringBuilder();
        yaml.append("optimizer:\n");
        yaml.append("  _component_: ").append(component).append('\n');
        yaml.append("  lr: ").append(format(lr)).append('\n');
        if ("torch.optim.SGD".equals(component)) {
            yaml.append("  momentum: 0.9\n");
        } else if ("torch.optim.AdamW".equals(component)) {
            yaml.append("  weight_decay: 0.01\n");
        }
        yaml.append("lr_scheduler:\n");
        yaml.append("  _component_: torchtune.training.get_cosine_schedule_with_warmup\n");
        yaml.append("  num_warmup_steps: ").append(warmupSteps(trainingSteps, warmupFraction))
                .append(String.format(Locale.ROOT, "  # %d%% of %d training steps%n",
                        Math.round(warmupFraction * 100), trainingSteps));
        return yaml.toString();
    }

    /** LRs for people: {@code 3.20e-04}, never {@code 0,00032}. */
    public static String format(double lr) {
        return String.format(Locale.ROOT, "%.2e", lr);
    }
}
