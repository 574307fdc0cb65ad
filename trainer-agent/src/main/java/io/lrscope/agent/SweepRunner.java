package io.lrscope.agent;

import ai.djl.Device;
import io.lrscope.agent.model.Devices;
import io.lrscope.agent.model.Task;
import io.lrscope.agent.model.TrainingSession;
import io.lrscope.agent.ramp.LrRamp;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepStarted;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one LR range test: fresh seeded weights and optimizer state, one optimizer step per LR of
 * the ramp, and one event per step to the sink: {@code SweepStarted}, then {@code StepObserved}
 * (the LR the update used, the raw mean micro-batch loss taken before it), then
 * {@code SweepEnded}.
 *
 * <p>The sweep ends early, as {@code stopped}, after a step whose loss is NaN or infinite (that
 * step is still published, it shows the divergence), on {@link #requestStop} from any thread
 * (checked before every step), or on a shutdown signal (Ctrl-C), which waits for the final
 * event to be flushed. Failures end it as {@code failed}; {@link #run()} does not throw.
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 15;

    private final SweepSettings settings;
    private final SweepSink sink;
    private final Clock clock;
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    public SweepRunner(SweepSettings settings, SweepSink sink) {
        this(settings, sink, Clock.systemUTC());
    }

    SweepRunner(SweepSettings settings, SweepSink sink, Clock clock) {
        settings.validate();
        this.settings = settings;
        this.sink = sink;
        this.clock = clock;
    }

    /** Asks the sweep to stop before its next step; the first reason wins. Thread-safe. */
    public void requestStop(String reason) {
        if (stopReason.compareAndSet(null, reason == null || reason.isBlank() ? "stop" : reason)) {
            LOG.info("sweep={} stop requested reason=\"{}\"", settings.sweepId(), reason);
        }
    }

    /** Runs the sweep to its end and returns the {@code SweepEnded} it published. Once only. */
    public SweepEnded run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("SweepRunner.run() was already called; "
                    + "create a new runner for every sweep");
        }
        Thread hook = new Thread(this::stopOnShutdown, "lrscope-sweep-shutdown");
        boolean hooked = addShutdownHook(hook);
        try {
            SweepEnded ended = sweep();
            publishEnd(ended);
            return ended;
        } finally {
            finished.countDown();
            if (hooked) {
                removeShutdownHook(hook);
            }
        }
    }

    private SweepEnded sweep() {
        String id = settings.sweepId();
        int rank = settings.rank();
        long lastStep = -1;
        try {
            LrRamp ramp = settings.lrRamp();
            Task task = settings.task();
            List<Device> devices = Devices.resolve(settings.devices());
            sink.publish(SweepStarted.of(id, rank, config(task), clock.millis()));
            LOG.info("sweep={} started model={} dataset={} task={} trainingRows={} "
                            + "validationRows={} optimizer={} batchSize={} devices={} "
                            + "dpDegree={} gradAccum={} effectiveBatch={} ramp={} startLr={} "
                            + "endLr={} steps={} seed={}",
                    id, task.model(), task.dataset(), taskName(task), task.trainingRows(),
                    task.validationRows(), settings.optimizer(), settings.batchSize(), devices,
                    settings.dpDegree(), settings.gradAccum(), settings.effectiveBatch(),
                    ramp.kind().wireName(), LogNumber.lr(settings.startLr()),
                    LogNumber.lr(settings.endLr()), settings.steps(), settings.seed());

            int progressEvery = Math.max(1, settings.steps() / 10);
            ProgressBar bar = ProgressBar.onConsole(ramp.steps());
            try (TrainingSession session = TrainingSession.open(task, settings.optimizer(),
                    settings.momentum(), settings.weightDecay(), settings.batchPlan(),
                    settings.seed(), true, devices)) {
                long startNanos = System.nanoTime();
                for (int step = 0; step < ramp.steps(); step++) {
                    String reason = stopReason.get();
                    if (reason != null) {
                        if (bar != null) {
                            bar.finish();
                        }
                        return ended(SweepEnded.Outcome.STOPPED, reason, lastStep);
                    }
                    double lr = ramp.lrAt(step);
                    double loss = session.step(lr);
                    sink.publish(StepObserved.of(id, rank, step, lr, loss, clock.millis()));
                    lastStep = step;
                    LOG.debug("sweep={} step={} lr={} loss={}", id, step, LogNumber.lr(lr), loss);

                    if (bar != null) {
                        bar.update(step, lr, loss);
                    }
                    if (!Double.isFinite(loss)) {
                        if (bar != null) {
                            bar.finish();
                        }
                        return ended(SweepEnded.Outcome.STOPPED, String.format(Locale.ROOT,
                                "loss=%s at step %d (lr=%.2e): training diverged",
                                loss, step, lr), lastStep);
                    }
                    if (bar == null && (step + 1) % progressEvery == 0
                            && step + 1 < ramp.steps()) {
                        LOG.info("sweep={} step={} lr={} loss={} progress={}%", id, step,
                                LogNumber.lr(lr), LogNumber.loss(loss),
                                (step + 1) * 100 / ramp.steps());
                    }
                }
                if (bar != null) {
                    bar.finish();
                }
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                LOG.info("sweep={} steps={} seconds={} stepsPerSecond={}", id, ramp.steps(),
                        LogNumber.seconds(seconds), Math.round(ramp.steps() / seconds));
            }
            return ended(SweepEnded.Outcome.COMPLETED,
                    "all " + settings.steps() + " steps done", lastStep);
        } catch (RuntimeException e) {
            LOG.error("sweep={} failed at step={}: {}", id, lastStep + 1, e.toString(), e);
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return ended(SweepEnded.Outcome.FAILED,
                    e.getClass().getSimpleName() + ": " + message, lastStep);
        }
    }

    private SweepEnded ended(SweepEnded.Outcome outcome, String reason, long lastStep) {
        String shortReason = reason.length() > 1000 ? reason.substring(0, 1000) + "..." : reason;
        return SweepEnded.of(settings.sweepId(), settings.rank(), outcome, shortReason, lastStep,
                clock.millis());
    }

    private void publishEnd(SweepEnded ended) {
        try {
            sink.publish(ended);
            sink.flush();
            LOG.info("sweep={} ended outcome={} lastStep={} reason=\"{}\"", ended.sweepId(),
                    ended.outcome().name().toLowerCase(Locale.ROOT), ended.lastStep(),
                    ended.reason());
        } catch (RuntimeException e) {
            LOG.error("sweep={} ended outcome={} but the end could not be published: {}; "
                    + "the analyzer will not mark this sweep final", ended.sweepId(),
                    ended.outcome(), e.toString());
        }
    }

    private static String taskName(Task task) {
        return switch (task.objective()) {
            case CLASSES -> "classification";
            case REGRESSION -> "regression";
            case NEXT_TOKEN -> "next-character";
        };
    }

    /** The published batch is one rank's: batchSize × devices, so effectiveBatch holds. */
    private SweepConfig config(Task task) {
        return new SweepConfig(task.model(), task.dataset(),
                settings.optimizer().toLowerCase(Locale.ROOT), settings.rankBatch(),
                settings.dpDegree(), settings.gradAccum(),
                LrRamp.Kind.parse(settings.ramp()).wireName(), settings.startLr(),
                settings.endLr(), settings.steps(), settings.seed(), host(),
                settings.label() == null ? "" : settings.label());
    }

    private void stopOnShutdown() {
        requestStop("agent shut down by signal");
        try {
            if (!finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("sweep={} did not end within {} s of the shutdown signal; its "
                        + "SweepEnded may be missing", settings.sweepId(), SHUTDOWN_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException alreadyShuttingDown) {
            return false;
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran; nothing to undo
        }
    }

    static String host() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
