package io.lrscope.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One record on the sweep-events topic, keyed by {@link #sweepId()}.
 *
 * <p>The JSON form carries {@code "type"} (the record's simple name) and {@code "schemaVersion"};
 * readers ignore fields they do not know, so minor additions never break older consumers. A
 * record is only trusted after {@link #validate()}: Jackson alone accepts NaN learning rates.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SweepStarted.class, name = "SweepStarted"),
    @JsonSubTypes.Type(value = StepObserved.class, name = "StepObserved"),
    @JsonSubTypes.Type(value = SweepEnded.class, name = "SweepEnded")
})
public sealed interface SweepEvent permits SweepStarted, StepObserved, SweepEnded {

    String sweepId();

    int schemaVersion();

    long wallMillis();

    /** Throws {@link InvalidEventException} naming the first bad field and its value. */
    void validate();
}
