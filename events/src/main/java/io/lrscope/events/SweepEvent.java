package io.lrscope.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One record on the sweep-events topic, keyed by {@link #sweepId()}.
 *
 * <p>The JSON form carries {@code "type"} (the record's simple name) and {@code "schemaVersion"};
 * readers ignore fields they do not know, so minor additions never break older consumers. A
 * record is only trusted after {@link #validate()}: Jackson alone accepts NaN learning rates.
 * The {@link ConfirmEvent}s share the topic and the key but are not points of the sweep's curve.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SweepStarted.class, name = "SweepStarted"),
    @JsonSubTypes.Type(value = StepObserved.class, name = "StepObserved"),
    @JsonSubTypes.Type(value = StepsObserved.class, name = "StepsObserved"),
    @JsonSubTypes.Type(value = SweepEnded.class, name = "SweepEnded"),
    @JsonSubTypes.Type(value = ConfirmStarted.class, name = "ConfirmStarted"),
    @JsonSubTypes.Type(value = ConfirmStepObserved.class, name = "ConfirmStepObserved"),
    @JsonSubTypes.Type(value = ConfirmEnded.class, name = "ConfirmEnded")
})
public sealed interface SweepEvent
        permits SweepStarted, StepObserved, StepsObserved, SweepEnded, ConfirmEvent {

    String sweepId();

    int schemaVersion();

    long wallMillis();

    /** Throws {@link InvalidEventException} naming the first bad field and its value. */
    void validate();
}
