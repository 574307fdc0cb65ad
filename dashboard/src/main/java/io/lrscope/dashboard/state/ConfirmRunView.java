package io.lrscope.dashboard.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One confirm run of a sweep as the page draws it: training loss per step (the LR beside it)
 * and the validation measurements taken at intervals. A step seen twice counts once, so a
 * replay cannot double a point; {@code points} and {@code validation} only ever grow, which is
 * what lets the stream send them as appends.
 */
public final class ConfirmRunView {

    /** A training step: the LR its update used and the loss before it (may be non-finite). */
    public record TrainPoint(long step, double lr, double trainLoss) {}

    /** A validation measurement after {@code step}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ValidationPoint(long step, double validationLoss, Double validationAccuracy) {}

    private final String runId;
    private ConfirmStarted started;
    private ConfirmEnded ended;
    private final List<TrainPoint> points = new ArrayList<>();
    private final List<ValidationPoint> validation = new ArrayList<>();
    private final Set<Long> steps = new HashSet<>();

    ConfirmRunView(String runId) {
        this.runId = runId;
    }

    void started(ConfirmStarted event) {
        if (started == null) {
            started = event;
        }
    }

    /** Returns false for a step already held. */
    boolean observed(ConfirmStepObserved step) {
        if (!steps.add(step.step())) {
            return false;
        }
        points.add(new TrainPoint(step.step(), step.lr(), step.trainLoss()));
        if (step.validationLoss() != null) {
            validation.add(new ValidationPoint(step.step(), step.validationLoss(),
                    step.validationAccuracy()));
        }
        return true;
    }

    void ended(ConfirmEnded event) {
        if (ended == null) {
            ended = event;
        }
    }

    public String runId() {
        return runId;
    }

    @JsonIgnore
    public ConfirmStarted started() {
        return started;
    }

    @JsonIgnore
    public ConfirmEnded ended() {
        return ended;
    }

    public List<TrainPoint> points() {
        return Collections.unmodifiableList(points);
    }

    public List<ValidationPoint> validation() {
        return Collections.unmodifiableList(validation);
    }

    /**
     * The run's JSON without its points: id, factor, peak LR, budget and, once it ended, the
     * outcome with the final validation loss and accuracy. Unknown fields are left out.
     */
    public Header header() {
        ConfirmStarted s = started;
        ConfirmEnded e = ended;
        return new Header(runId,
                s == null ? null : s.factor(),
                s == null ? null : s.peakLr(),
                s == null ? null : s.baseLr(),
                s == null ? null : s.steps(),
                s == null ? null : s.warmupSteps(),
                e == null ? "running" : e.outcome().name().toLowerCase(Locale.ROOT),
                e == null ? null : e.reason(),
                e == null ? null : e.finalValidationLoss(),
                e == null ? null : e.validationAccuracy());
    }

    /** What the REST API and the stream say about a run besides its points. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Header(
            String runId,
            Double factor,
            Double peakLr,
            Double pickLr,
            Integer steps,
            Integer warmupSteps,
            String outcome,
            String reason,
            Double finalValidationLoss,
            Double validationAccuracy) {}
}
