package io.lrscope.cli;

import io.lrscope.analyzer.advice.LrScaling;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lrscope scale}: carry an LR to another effective batch by the linear or √ rule. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Scale an LR to another effective batch: batch x k -> LR x k (linear) "
                + "or x sqrt(k) (sqrt).")
final class ScaleCommand implements Callable<Integer> {

    @Option(names = "--lr", required = true, description = "the LR that worked")
    double lr;

    @Option(names = "--from-batch", required = true, description = "effective batch it worked at")
    long fromBatch;

    @Option(names = "--to-batch", required = true, description = "effective batch to train at")
    long toBatch;

    @Option(names = "--rule", defaultValue = "linear",
            description = "linear (usual for SGD) or sqrt (usual for Adam/AdamW); "
                    + "default ${DEFAULT-VALUE}")
    String rule;

    @Override
    public Integer call() {
        LrScaling.Rule parsed = LrScaling.Rule.parse(rule);
        double scaled = LrScaling.scale(lr, fromBatch, toBatch, parsed);
        if (!Double.isFinite(scaled)) {
            throw new IllegalArgumentException("lr=" + lr + ": scaled to batch " + toBatch
                    + " it overflows a double");
        }
        System.out.println(String.format(Locale.ROOT,
                "%.3e  (lr %.3e at batch %d -> batch %d, %s rule, k=%.4g)",
                scaled, lr, fromBatch, toBatch, parsed.name().toLowerCase(Locale.ROOT),
                (double) toBatch / fromBatch));
        return 0;
    }
}
