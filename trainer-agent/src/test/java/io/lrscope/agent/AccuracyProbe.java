package io.lrscope.agent;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Validation accuracy after 3 epochs at a few fixed LRs; run on demand, like the benchmark. */
class AccuracyProbe {

    @Test
    void printDefaultSweep() {
        String optimizer = System.getProperty("probe.opt", "sgd");
        double momentum = optimizer.equals("sgd") ? 0.9 : 0;
        double weightDecay = optimizer.equals("adamw") ? 0.01 : 0;
        int steps = Integer.getInteger("probe.steps", 100);
        SweepSettings s = SweepSettings.defaults().withOptimizer(optimizer, momentum, weightDecay)
                .withRamp("exponential", 1e-7,
                        Double.parseDouble(System.getProperty("probe.endLr", "1")), steps);
        RecordingSink sink = new RecordingSink();
        new SweepRunner(s, sink).run();
        System.out.println("csv step,lr,loss");
        sink.steps().forEach(e -> System.out.printf(Locale.ROOT, "csv %d,%.6e,%.6f%n",
                e.step(), e.lr(), e.loss()));
    }

    @Test
    void printAccuracies() {
        String optimizer = System.getProperty("probe.opt", "sgd");
        double momentum = optimizer.equals("sgd") ? 0.9 : 0;
        double weightDecay = optimizer.equals("adamw") ? 0.01 : 0;
        SweepSettings s = SweepSettings.defaults().withOptimizer(optimizer, momentum, weightDecay);
        for (double lr : new double[] {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1}) {
            long start = System.nanoTime();
            double accuracy = FixedLrTraining.validationAccuracy(s, lr, 3);
            System.out.printf(Locale.ROOT, "probe opt=%s batch=%d epochs=3 lr=%.0e "
                    + "validationAccuracy=%.4f seconds=%.2f%n", optimizer, s.batchSize(), lr,
                    accuracy, (System.nanoTime() - start) / 1e9);
        }
    }
}
