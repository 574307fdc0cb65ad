package io.lrscope.agent;

import io.lrscope.agent.data.Digits;
import io.lrscope.agent.data.Examples;
import io.lrscope.agent.model.BatchPlan;
import io.lrscope.agent.model.TrainingSession;
import io.lrscope.agent.ramp.LrRamp;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
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
 *       embedded broker vs to a no-op sink: the training thread's time per step, the
 *       difference in percent, and where the publishing work went (see
 *       {@link #measurePublishing}).
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
        SweepSettings settings = SweepSettings.defaults().withBatch(batch, 1)
                .withOptimizer(optimizer, momentum, weightDecay)
                .withRamp("exponential", startLr, endLr, steps);
        if (Boolean.getBoolean("bench.onlyPublish")) {
            measurePublishing(settings, runs);
            return;
        }
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
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            SweepEnded ended = new SweepRunner(settings, new CountingSink(null)).run();
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
     * Publishing's cost to training: the same sweep publishing to a real embedded broker
     * ("on") and to a no-op sink on the training thread ("off"), alternated run by run (and
     * which goes first alternated too) so both see the same machine. The figure is the
     * training thread's time per step, from the first step's publish to the last's (session
     * setup and the final flush left out); the final flush, the publisher thread's CPU and
     * the producer I/O thread's CPU are printed beside it, because the work moved off the
     * training thread, it did not vanish. {@code -Dbench.publisher=sync} measures the old
     * path (encode and send on the training thread) with the same yardstick.
     */
    private static void measurePublishing(SweepSettings settings, int runs) throws IOException {
        boolean sync = "sync".equals(System.getProperty("bench.publisher", "async"));
        PublishSettings publish = PublishSettings.defaults().withStepsPerRecord(Integer
                .getInteger("bench.stepsPerRecord", PublishSettings.DEFAULT_STEPS_PER_RECORD));
        int publishRuns = Integer.getInteger("bench.publishRuns", Math.max(runs, 15));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("lrscope-bench-kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            try (Admin admin = kafka.admin()) {
                Topics.ensure(admin, 3, (short) 1);
            }
            double[] stepOn = new double[publishRuns];
            double[] stepOff = new double[publishRuns];
            double[] sweepOn = new double[publishRuns];
            double[] sweepOff = new double[publishRuns];
            double[] flushOn = new double[publishRuns];
            double[] publisherCpu = new double[publishRuns];
            double[] ioCpu = new double[publishRuns];
            double[] ioIdleCpu = new double[publishRuns];
            double[] cpuOn = new double[publishRuns];
            double[] cpuOff = new double[publishRuns];
            long records = 0;
            try (KafkaSweepSink kafkaSink = new KafkaSweepSink(kafka.bootstrapServers())) {
                SweepSink shared = new KeepOpen(kafkaSink);
                CountingSink counted = new CountingSink(shared);
                // the publisher's code runs once per record: warm it up (JIT) like the rest
                for (int warm = 0; warm < Integer.getInteger("bench.publishWarmup", 40); warm++) {
                    runOn(settings.withSweepId("bench-warm-" + warm), counted, sync, publish,
                            threads);
                }
                long ioThread = threadNamed(threads, "kafka-producer-network-thread");
                for (int run = 0; run < publishRuns; run++) {
                    for (int half = 0; half < 2; half++) {
                        if ((half == 0) == (run % 2 == 0)) {
                            long ioBefore = threads.getThreadCpuTime(ioThread);
                            counted.count = 0;
                            OnRun on = runOn(settings.withSweepId("bench-on-" + run), counted,
                                    sync, publish, threads);
                            records = counted.count;
                            stepOn[run] = on.timing.microsPerStep();
                            cpuOn[run] = on.timing.cpuMicrosPerStep();
                            sweepOn[run] = on.sweepMillis;
                            flushOn[run] = on.timing.flushMillis;
                            publisherCpu[run] = on.publisherCpuNanos / 1e3 / on.timing.steps;
                            ioCpu[run] = (threads.getThreadCpuTime(ioThread) - ioBefore) / 1e3
                                    / on.timing.steps;
                        } else {
                            StepTiming off =
                                    new StepTiming(new CountingSink(null), settings.steps());
                            long ioBefore = threads.getThreadCpuTime(ioThread);
                            long start = System.nanoTime();
                            new SweepRunner(settings.withSweepId("bench-off-" + run), off).run();
                            sweepOff[run] = (System.nanoTime() - start) / 1e6;
                            stepOff[run] = off.microsPerStep();
                            cpuOff[run] = off.cpuMicrosPerStep();
                            ioIdleCpu[run] = (threads.getThreadCpuTime(ioThread) - ioBefore)
                                    / 1e3 / off.steps;
                        }
                    }
                }
            }
            double costPct = 100 * (median(stepOn) - median(stepOff)) / median(stepOff);
            double[] pairs = new double[publishRuns];
            for (int run = 0; run < publishRuns; run++) {
                pairs[run] = 100 * (stepOn[run] - stepOff[run]) / stepOff[run];
            }
            double cpuCostPct = 100 * (median(cpuOn) - median(cpuOff)) / median(cpuOff);
            System.out.printf(Locale.ROOT, "side=publish publisher=%s steps_per_record=%s "
                            + "steps=%d runs=%d records_per_sweep=%d step_us_on=%.1f "
                            + "step_us_off=%.1f publish_cost_pct=%.2f paired_cost_pct=%.2f "
                            + "step_cpu_us_on=%.1f step_cpu_us_off=%.1f cpu_cost_pct=%.2f "
                            + "sweep_ms_on=%.1f "
                            + "sweep_ms_off=%.1f final_flush_ms=%.2f "
                            + "publisher_thread_cpu_us_per_step=%.2f "
                            + "producer_io_cpu_us_per_step=%.2f "
                            + "producer_io_cpu_us_per_step_while_off=%.2f%n",
                    sync ? "sync" : "async", sync ? "1" : publish.stepsPerRecord(),
                    settings.steps(), publishRuns, records, median(stepOn), median(stepOff),
                    costPct, median(pairs), median(cpuOn), median(cpuOff), cpuCostPct,
                    median(sweepOn), median(sweepOff), median(flushOn),
                    median(publisherCpu), median(ioCpu), median(ioIdleCpu));
        }
    }

    private record OnRun(StepTiming timing, double sweepMillis, long publisherCpuNanos) {}

    /** One sweep to the broker: through a SweepPublisher, or straight to the sink when sync. */
    private static OnRun runOn(SweepSettings settings, SweepSink kafka, boolean sync,
            PublishSettings publish, ThreadMXBean threads) {
        long start = System.nanoTime();
        if (sync) {
            StepTiming timing = new StepTiming(kafka, settings.steps());
            new SweepRunner(settings, timing).run();
            return new OnRun(timing, (System.nanoTime() - start) / 1e6, 0);
        }
        try (SweepPublisher publisher = new SweepPublisher(kafka, publish)) {
            StepTiming timing = new StepTiming(publisher, settings.steps());
            new SweepRunner(settings, timing).run();
            double sweepMillis = (System.nanoTime() - start) / 1e6;
            return new OnRun(timing, sweepMillis, publisher.publisherCpuNanos());
        }
    }

    private static long threadNamed(ThreadMXBean threads, String prefix) {
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("no thread named " + prefix + "*");
    }

    /**
     * In front of the sink on the training thread: when the first and the last step were
     * handed over, and how long the final flush took.
     */
    private static final class StepTiming implements SweepSink {
        private final SweepSink delegate;
        private final long lastStep;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long firstStepNanos;
        long lastStepNanos;
        long firstStepCpuNanos;
        long lastStepCpuNanos;
        int steps;
        double flushMillis;

        StepTiming(SweepSink delegate, int plannedSteps) {
            this.delegate = delegate;
            this.lastStep = plannedSteps - 1;
        }

        double microsPerStep() {
            return (lastStepNanos - firstStepNanos) / 1e3 / (steps - 1);
        }

        double cpuMicrosPerStep() {
            return (lastStepCpuNanos - firstStepCpuNanos) / 1e3 / (steps - 1);
        }

        @Override
        public void publish(SweepEvent event) {
            delegate.publish(event);
            if (event instanceof StepObserved step) {
                lastStepNanos = System.nanoTime();
                if (steps++ == 0) {
                    firstStepNanos = lastStepNanos;
                    firstStepCpuNanos = threads.getCurrentThreadCpuTime();
                } else if (step.step() == lastStep) {
                    lastStepCpuNanos = threads.getCurrentThreadCpuTime();
                }
            }
        }

        @Override
        public void flush() {
            long start = System.nanoTime();
            delegate.flush();
            flushMillis = (System.nanoTime() - start) / 1e6;
        }

        @Override
        public void close() {}
    }

    /** The shared producer outlives every sweep's publisher. */
    private record KeepOpen(SweepSink delegate) implements SweepSink {
        @Override
        public void publish(SweepEvent event) {
            delegate.publish(event);
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {}
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

    /** Counts records, then passes them on (or drops them: the "off" side). */
    private static final class CountingSink implements SweepSink {
        private final SweepSink delegate;
        int count;

        CountingSink(SweepSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public void publish(SweepEvent event) {
            count++;
            if (delegate != null) {
                delegate.publish(event);
            }
        }

        @Override
        public void flush() {
            if (delegate != null) {
                delegate.flush();
            }
        }

        @Override
        public void close() {}
    }
}
