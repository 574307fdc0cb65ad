package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressBar bar = new ProgressBar(300,
            new PrintStream(bytes, true, StandardCharsets.UTF_8), nanos::get);

    @Test
    void lineShowsStepLrLossRateAndEta() {
        assertThat(bar.line(120, 3.16e-3, 0.41213, 3.0)).isEqualTo("step 120/300 "
                + "[########------------] lr=3.16e-03 loss=0.4121 40.0 steps/s ETA 0:05 ");
        assertThat(bar.line(30, 1e-6, 2.3, 60.0)).endsWith("0.5 steps/s ETA 9:00 ");
    }

    @Test
    void redrawsInPlaceAtMostEveryTenthOfASecondAndAlwaysAtTheLastStep() {
        nanos.set(50_000_000L);
        bar.update(0, 1e-6, 2.3);         // first draw
        nanos.set(60_000_000L);
        bar.update(1, 1.1e-6, 2.3);       // 10 ms later: skipped
        nanos.set(200_000_000L);
        bar.update(2, 1.2e-6, 2.2);       // drawn
        nanos.set(201_000_000L);
        bar.update(299, 1.0, 9.9);        // last step: drawn
        bar.finish();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split("\r", -1)).hasSize(4); // "", step 1, step 3, step 300
        assertThat(out).contains("step 1/300 ", "step 3/300 ", "step 300/300 ")
                .doesNotContain("step 2/300").endsWith(System.lineSeparator());
    }
}
