package io.lrscope.events;

/** A record that cannot be trusted; the message is one line a person can act on. */
public final class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message, null, false, false);
    }

    public static InvalidEventException field(String field, Object value, String expectation) {
        return new InvalidEventException(field + "=" + value + ": " + expectation);
    }
}
