package io.lrscope.analyzer.topology;

import io.lrscope.events.SweepEvent;

/**
 * A record off the events topic after decoding: either a valid event, or the reason it is not
 * one together with the original bytes, bound for the dead-letter topic.
 */
record Decoded(SweepEvent event, String reason, byte[] originalKey, byte[] originalValue) {

    static Decoded valid(SweepEvent event) {
        return new Decoded(event, null, null, null);
    }

    static Decoded invalid(String reason, byte[] key, byte[] value) {
        return new Decoded(null, reason, key, value);
    }

    boolean isValid() {
        return event != null;
    }
}
