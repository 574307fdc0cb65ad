package io.lrscope.cli;

import io.lrscope.agent.FixedLrTraining;
import io.lrscope.agent.SweepSettings;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lrscope train}: train at one fixed LR and report validation accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the sweep's model from fresh weights at one fixed LR and print the "
                + "validation accuracy, to check a recommended LR.")
final class TrainCommand implements Callable<Integer> {

    @Mixin AgentOptions agent = new AgentOptions();

    @Option(names = "--lr", required = true, description = "the LR to train at")
    double lr;

    @Option(names = "--epochs", defaultValue = "3",
            description = "epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Override
    public Integer call() {
        SweepSettings settings = agent.settings();
        FixedLrTraining.Result result = FixedLrTraining.train(settings, lr, epochs);
        System.out.println(String.format(Locale.ROOT,
                "{\"lr\":%s,\"epochs\":%d,\"optimizer\":\"%s\",\"effectiveBatch\":%d,"
                        + "\"validationAccuracy\":%s,\"validationLoss\":%.6f}",
                lr, epochs, settings.optimizer(), settings.effectiveBatch(),
                Double.isNaN(result.validationAccuracy()) ? "null" // regression: no accuracy
                        : String.format(Locale.ROOT, "%.4f", result.validationAccuracy()),
                result.validationLoss()));
        return 0;
    }
}
