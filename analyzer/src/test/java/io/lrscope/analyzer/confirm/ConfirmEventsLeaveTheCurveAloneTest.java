package io.lrscope.analyzer.confirm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.topology.SweepState;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepEnded;
import org.junit.jupiter.api.Test;

/**
 * Confirm runs share the sweep's topic and key; the analyzer's sweep state must not take their
 * steps for points of the LR range test, nor let them reopen a finished sweep.
 */
class ConfirmEventsLeaveTheCurveAloneTest {

    @Test
    void sweepStateIgnoresConfirmEvents() {
        SweepState state = new SweepState();
        for (int step = 0; step < 10; step++) {
            state.apply(StepObserved.of("s", 0, step, 1e-4 * (step + 1), 2.0 - step * 0.1, 1L),
                    1L);
        }
        state.apply(SweepEnded.of("s", 0, SweepEnded.Outcome.COMPLETED, "done", 9, 2L), 2L);

        state.apply(ConfirmStarted.of("s", "x1", 3, 1e-3, 1, 1e-3, 300, 15, 3L), 3L);
        for (int step = 0; step < 5; step++) {
            state.apply(ConfirmStepObserved.of("s", "x1", step, 1e-4 * step, 9.0, null, null, 4L),
                    4L);
        }
        state.apply(ConfirmEnded.of("s", "x1", ConfirmEnded.Outcome.COMPLETED, "", 299, 0.1,
                0.97, 5L), 5L);

        assertThat(state.curve().observations()).isEqualTo(10);
        assertThat(state.curve().lastStep()).isEqualTo(9);
        assertThat(state.isFinal()).isTrue();
        assertThat(state.endedBy()).isEqualTo("completed: done");
    }
}
