package io.lrscope.analyzer.topology;

import io.lrscope.events.EventJson;
import io.lrscope.events.InvalidEventException;
import io.lrscope.events.SweepEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A record off the events topic after decoding: either a valid event, or the reason it is not
 * one together with the original bytes, bound for the dead-letter topic.
 */
public record Decoded(
        SweepEvent event, String reason, byte[] originalKey, byte[] originalValue) {

    /**
     * Decodes and validates a raw record off the events topic. Never throws: a record that is
     * not a valid event, or whose key is not its sweep id, comes back invalid with the reason.
     */
    public static Decoded of(byte[] key, byte[] value) {
        String reason;
        try {
            String sweepKey = utf8Key(key);
            SweepEvent event = StepEventReader.read(value);
            if (event == null) {
                event = EventJson.decodeEvent(value);
            } else {
                event.validate();
            }
            if (sweepKey == null) {
                reason = "key=null: events must be keyed by their sweepId ("
                        + event.sweepId() + ")";
            } else if (!sweepKey.equals(event.sweepId())) {
                reason = "key=" + abbreviate(sweepKey) + ": does not match sweepId="
                        + event.sweepId();
            } else {
                return valid(event);
            }
        } catch (InvalidEventException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            reason = "undecodable record: " + e;
        }
        return invalid(reason, key, value);
    }

    private static String utf8Key(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEventException("key is not UTF-8 text");
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    }

    public static Decoded valid(SweepEvent event) {
        return new Decoded(event, null, null, null);
    }

    public static Decoded invalid(String reason, byte[] key, byte[] value) {
        return new Decoded(null, reason, key, value);
    }

    public boolean isValid() {
        return event != null;
    }
}
