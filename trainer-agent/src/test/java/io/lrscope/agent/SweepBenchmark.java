package io.lrscope.agent;

import io.lrscope.agent.data.Digits;
import io.lrscope.agent.data.Examples;
import io.lrscope.agent.model.BatchPlan;
import io.lrscope.agent.model.TrainingSession;
import io.lrscope.agent.ramp.LrRamp;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.Topics;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The agent's half of the side-by-side benchmark with {@code bench/torch_reference.py}; not a
 * regular test (its name does not end in Test), run by {@code tools/bench.sh}:
 *
 * <ul>
 *   <li>{@code side=djl-loop}: the same computation as the PyTorch peer (its start weights,
 *       all 1,797 digits in file order, cycled, the same ramp, batch and optimizer), timed
 *       after the same warm-up; prints its first and last losses to compare with the peer's.
 *   <li>{@code side=djl-sweep}: a whole {@link SweepRunner} sweep (events included) of the
 *       default digits settings.
 *   <li>{@code side=publish} (with {@code -Dbench.publish=true}): that sweep publishing to an
 *       embedded broker vs to a no-op sink, and the difference in percent of the sweep's time.
 * </ul>
 */
class SweepBenchmark {

    @Test
    void measure() throws IOException {
        int batch = Integer.getInteger("bench.batch", 32);
        String optimizer = System.getProperty("bench.opt", "sgd");
        int steps = Integer.getInteger("bench.steps", 100);
        int warmup = Integer.getInteger("bench.warmup", 20);
        int runs = Integer.getInteger("bench.runs", 9);
        double startLr = Double.parseDouble(System.getProperty("bench.startLr", "1e-7"));
        double endLr = Double.parseDouble(System.getProperty("bench.endLr", "1"));
        String init = System.getProperty("bench.init");

        double momentum = optimizer.equals("sgd") ? 0.9 : 0;
        double weightDecay = optimizer.equals("sgd") ? 0 : 0.01;
        LrRamp ramp = LrRamp.exponential(startLr, endLr, warmup + steps);
        // The peer's batches: all digits in file order, cycled (rows i % 1797), never shuffled.
        Examples all = Digits.load();
        int[] rows = new int[(warmup + steps) * batch];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % all.size();
        }
        Examples cycled = all.select(rows);
        double[] loopRates = new double[runs];
        double[] cpuRates = new double[runs];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> first = new ArrayList<>();
        double lastLoss = 0;
        for (int run = 0; run < runs; run++) {
            try (TrainingSession session = TrainingSession.open(cycled, Digits.CLASSES, 64,
                    optimizer, momentum, weightDecay, BatchPlan.single(batch, 1), 0, false)) {
                if (init != null) {
                    session.model().load(readInit(Path.of(init)));
                }
                long start = 0;
                long cpuStart = 0;
                for (int step = 0; step < warmup + steps; step++) {
                    if (step == warmup) {
                        start = System.nanoTime();
                        cpuStart = threads.getCurrentThreadCpuTime();
                    }
                    lastLoss = session.step(ramp.lrAt(step));
                    if (run == 0 && step < 5) {
                        first.add(lastLoss);
                    }
                }
                loopRates[run] = steps / ((System.nanoTime() - start) / 1e9);
                cpuRates[run] = steps / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "side=djl-loop batch=%d opt=%s threads=1 "
                        + "steps_per_s=%.1f cpu_steps_per_s=%.1f runs=%d last_loss=%.6f%n",
                batch, optimizer, median(loopRates), median(cpuRates), runs, lastLoss);
        System.out.println("first_losses=" + String.join(",", first.stream()
                .map(v -> String.format(Locale.ROOT, "%.7f", v)).toList()));

        double[] sweepRates = new double[runs];
        SweepSettings settings = SweepSettings.defaults().withBatch(batch, 1)
                .withOptimizer(optimizer, momentum, weightDecay)
                .withRamp("exponential", startLr, endLr, steps);
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            SweepEnded ended = new SweepRunner(settings, new CountingSink()).run();
            sweepRates[run] = (ended.lastStep() + 1) / ((System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "side=djl-sweep batch=%d opt=%s steps=%d "
                + "steps_per_s=%.1f runs=%d (includes session setup and events)%n",
                batch, optimizer, steps, median(sweepRates), runs);

        if (Boolean.getBoolean("bench.publish")) {
            measurePublishing(settings, runs);
        }
    }

    /**
     * The same sweep publishing to a real embedded broker vs to a no-op sink, alternated run
     * by run so that both see the same machine; the cost includes the final flush.
     */
    private static void measurePublishing(SweepSettings settings, int runs) throws IOException {
        Path dir = Files.createTempDirectory("lrscope-bench-kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            try (Admin admin = kafka.admin()) {
                Topics.ensure(admin, 3, (short) 1);
            }
            double[] on = new double[runs];
            double[] off = new double[runs];
            try (KafkaSweepSink sink = new KafkaSweepSink(kafka.bootstrapServers())) {
                new SweepRunner(settings.withSweepId("bench-warm"), sink).run();
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    new SweepRunner(settings.withSweepId("bench-on-" + run), new SweepSink() {
                        @Override
                        public void publish(SweepEvent event) {
                            sink.publish(event);
                        }

                        @Override
                        public void flush() {
                            sink.flush();
                        }

                        @Override
                        public void close() {}
                    }).run();
                    on[run] = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    new SweepRunner(settings.withSweepId("bench-off-" + run), new CountingSink())
                            .run();
                    off[run] = (System.nanoTime() - start) / 1e6;
                }
            }
            double costPct = 100 * (median(on) - median(off)) / median(off);
            System.out.printf(Locale.ROOT, "side=publish steps=%d runs=%d sweep_ms_on=%.1f "
                    + "sweep_ms_off=%.1f publish_cost_pct=%.2f%n", settings.steps(), runs,
                    median(on), median(off), costPct);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** torch_reference.py's weights CSV: {@code name,v1,v2,...} per tensor. */
    private static Map<String, float[]> readInit(Path file) throws IOException {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] cells = line.trim().split(",");
            float[] values = new float[cells.length - 1];
            for (int i = 1; i < cells.length; i++) {
                values[i - 1] = Float.parseFloat(cells[i]);
            }
            weights.put(cells[0], values);
        }
        return weights;
    }

    private static final class CountingSink implements SweepSink {
        int count;

        @Override
        public void publish(SweepEvent event) {
            count++;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
