package io.lrscope.agent;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One self-overwriting line on an interactive terminal ({@code \r}, on stderr):
 * {@code step 120/300 [########------------] lr=3.16e-03 loss=0.4121 41.2 steps/s ETA 0:04}.
 * Redrawn at most every {@value #REDRAW_MILLIS} ms and at the last step. Without a console
 * (logs to a file, CI) the runner writes key=value progress lines instead, so this never
 * appears in a log.
 */
final class ProgressBar {

    static final long REDRAW_MILLIS = 100;
    private static final int WIDTH = 20;

    private final int steps;
    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long drawnNanos;
    private boolean everDrawn;
    private boolean drawn;

    ProgressBar(int steps, PrintStream out, LongSupplier nanoTime) {
        this.steps = steps;
        this.out = out;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    /** A bar on stderr when this process has an interactive console, else null. */
    static ProgressBar onConsole(int steps) {
        return System.console() == null
                ? null
                : new ProgressBar(steps, System.err, System::nanoTime);
    }

    /** Step {@code step} (0-based) is done with {@code lr} and {@code loss}. */
    void update(int step, double lr, double loss) {
        long now = nanoTime.getAsLong();
        boolean last = step + 1 >= steps;
        if (!last && everDrawn && now - drawnNanos < REDRAW_MILLIS * 1_000_000L) {
            return;
        }
        drawnNanos = now;
        everDrawn = true;
        drawn = true;
        out.print('\r' + line(step + 1, lr, loss, (now - startNanos) / 1e9));
        out.flush();
    }

    /** Ends the bar's line so that what follows starts on a fresh one. */
    void finish() {
        if (drawn) {
            out.println();
            out.flush();
            drawn = false;
        }
    }

    String line(int done, double lr, double loss, double seconds) {
        int filled = (int) ((long) WIDTH * done / steps);
        double rate = seconds > 0 ? done / seconds : 0;
        long eta = rate > 0 ? Math.round((steps - done) / rate) : 0;
        return String.format(Locale.ROOT,
                "step %d/%d [%s%s] lr=%.2e loss=%.4f %.1f steps/s ETA %d:%02d ",
                done, steps, "#".repeat(filled), "-".repeat(WIDTH - filled), lr, loss, rate,
                eta / 60, eta % 60);
    }
}
