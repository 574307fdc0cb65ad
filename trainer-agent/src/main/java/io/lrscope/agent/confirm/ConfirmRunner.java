package io.lrscope.agent.confirm;

import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.SweepSink;
import io.lrscope.agent.ramp.WarmupCosineSchedule;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirms a sweep's pick: for each factor, one short training from fresh seeded weights with
 * linear warmup to {@code pick × factor} and cosine decay after it, published to the sweep's own
 * key as {@code ConfirmStarted}, one {@code ConfirmStepObserved} per step (validation loss and
 * accuracy at intervals and on the last step), then {@code ConfirmEnded}. The runs go one after
 * another, in the order of the factors, so they share the CPU with nothing but the page.
 *
 * <p>A run whose training loss turns NaN or infinite ends {@code diverged} without a validation
 * loss (it ranks last); {@link #requestStop} ends the current run {@code stopped} and skips the
 * rest. Only rank 0 of a sweep should confirm it: the runs belong to the sweep, not to a rank.
 * Validation accuracy is absent for a regression (it has none).
 */
public final class ConfirmRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmRunner.class);

    private final SweepSettings sweep;
    private final ConfirmSettings settings;
    private final SweepSink sink;
    private final Clock clock;
    private final Function<SweepSettings, ConfirmTrainer> trainers;
    private final AtomicReference<String> stopReason = new AtomicReference<>();

    public ConfirmRunner(SweepSettings sweep, ConfirmSettings settings, SweepSink sink) {
        this(sweep, settings, sink, Clock.systemUTC(), SessionConfirmTrainer::new);
    }

    ConfirmRunner(SweepSettings sweep, ConfirmSettings settings, SweepSink sink, Clock clock,
            Function<SweepSettings, ConfirmTrainer> trainers) {
        sweep.validate();
        settings.validate();
        this.sweep = sweep;
        this.settings = settings;
        this.sink = sink;
        this.clock = clock;
        this.trainers = trainers;
    }

    /** Ends the current run as stopped before its next step and skips the others. */
    public void requestStop(String reason) {
        stopReason.compareAndSet(null, reason == null || reason.isBlank() ? "stop" : reason);
    }

    /**
     * Trains one run per factor at {@code pickLr × factor} and returns their ends in factor
     * order; everything is flushed to the sink before it returns.
     */
    public List<ConfirmEnded> run(double pickLr) {
        if (!(pickLr > 0) || !Double.isFinite(pickLr)) {
            throw new IllegalArgumentException(
                    "pickLr=" + pickLr + ": must be a finite number > 0");
        }
        double lowestPeak =
                pickLr * settings.factors().stream().min(Double::compare).orElseThrow();
        if (settings.floorLr() >= lowestPeak) {
            throw new IllegalArgumentException("floorLr=" + settings.floorLr()
                    + ": must be below the lowest peak LR " + lowestPeak);
        }
        String id = sweep.sweepId();
        LOG.info("sweep={} confirm started pickLr={} factors={} steps={} warmupSteps={}", id,
                lr(pickLr), settings.factors(), settings.steps(), settings.warmupSteps());
        List<ConfirmEnded> ends = new ArrayList<>();
        for (double factor : settings.factors()) {
            String runId = ConfirmSettings.runId(factor);
            double peakLr = pickLr * factor;
            if (stopReason.get() != null) {
                sink.publish(ConfirmStarted.of(id, runId, settings.factors().size(), pickLr,
                        factor, peakLr, settings.steps(), settings.warmupSteps(),
                        clock.millis()));
                ends.add(publish(ConfirmEnded.of(id, runId, ConfirmEnded.Outcome.STOPPED,
                        "skipped: " + stopReason.get(), -1, null, null, clock.millis())));
                continue;
            }
            ends.add(publish(runOne(pickLr, factor, runId, peakLr)));
        }
        sink.flush();
        return ends;
    }

    private ConfirmEnded runOne(double pickLr, double factor, String runId, double peakLr) {
        String id = sweep.sweepId();
        long lastStep = -1;
        try {
            WarmupCosineSchedule schedule = WarmupCosineSchedule.of(peakLr, settings.floorLr(),
                    settings.steps(), settings.warmupSteps());
            sink.publish(ConfirmStarted.of(id, runId, settings.factors().size(), pickLr, factor,
                    peakLr, schedule.steps(), schedule.warmupSteps(), clock.millis()));
            int every = settings.validationInterval();
            long startNanos = System.nanoTime();
            try (ConfirmTrainer trainer = trainers.apply(sweep)) {
                ConfirmTrainer.Evaluation last = null;
                for (int step = 0; step < schedule.steps(); step++) {
                    String reason = stopReason.get();
                    if (reason != null) {
                        return ConfirmEnded.of(id, runId, ConfirmEnded.Outcome.STOPPED, reason,
                                lastStep, null, null, clock.millis());
                    }
                    double lr = schedule.lrAt(step);
                    double loss = trainer.step(lr);
                    lastStep = step;
                    if (!Double.isFinite(loss)) {
                        sink.publish(ConfirmStepObserved.of(id, runId, step, lr, loss, null, null,
                                clock.millis()));
                        LOG.info("sweep={} confirm run={} diverged step={} lr={}", id, runId,
                                step, lr(lr));
                        return ConfirmEnded.of(id, runId, ConfirmEnded.Outcome.DIVERGED,
                                String.format(Locale.ROOT, "loss=%s at step %d (lr=%.2e)", loss,
                                        step, lr), lastStep, null, null, clock.millis());
                    }
                    boolean validate = (step + 1) % every == 0 || step == schedule.steps() - 1;
                    last = validate ? trainer.evaluate() : null;
                    sink.publish(ConfirmStepObserved.of(id, runId, step, lr, loss,
                            last == null ? null : finiteOrNull(last.loss()),
                            last == null ? null : finiteOrNull(last.accuracy()),
                            clock.millis()));
                }
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                Double finalLoss = finiteOrNull(last.loss());
                LOG.info("sweep={} confirm run={} factor={} peakLr={} validationLoss={} "
                                + "validationAccuracy={} seconds={}", id, runId, factor,
                        lr(peakLr), number("%.4f", last.loss()), number("%.4f", last.accuracy()),
                        number("%.2f", seconds));
                if (finalLoss == null) {
                    return ConfirmEnded.of(id, runId, ConfirmEnded.Outcome.DIVERGED,
                            "validation loss=" + last.loss() + " after the last step", lastStep,
                            null, finiteOrNull(last.accuracy()), clock.millis());
                }
                return ConfirmEnded.of(id, runId, ConfirmEnded.Outcome.COMPLETED,
                        "all " + schedule.steps() + " steps done", lastStep, finalLoss,
                        finiteOrNull(last.accuracy()), clock.millis());
            }
        } catch (RuntimeException e) {
            LOG.error("sweep={} confirm run={} failed at step={}: {}", id, runId, lastStep + 1,
                    e.toString(), e);
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            String reason = e.getClass().getSimpleName() + ": " + message;
            return ConfirmEnded.of(id, runId, ConfirmEnded.Outcome.FAILED,
                    reason.length() > 1000 ? reason.substring(0, 1000) + "..." : reason,
                    lastStep, null, null, clock.millis());
        }
    }

    private ConfirmEnded publish(ConfirmEnded ended) {
        sink.publish(ended);
        return ended;
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static Object lr(double value) {
        return number("%.2e", value);
    }

    /** Formats with Locale.ROOT only when the line is written. */
    private static Object number(String pattern, double value) {
        return new Object() {
            @Override
            public String toString() {
                return String.format(Locale.ROOT, pattern, value);
            }
        };
    }
}
