package io.lrscope.analyzer.topology;

import io.lrscope.events.EventJson;
import io.lrscope.events.InvalidEventException;
import io.lrscope.events.SweepEvent;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates raw event bytes. Nothing here throws: a record that is not a valid
 * event, or whose key is not its sweep id, is passed on as {@link Decoded#invalid} with a reason
 * so it lands in dead letters and the stream thread keeps running for every other sweep.
 */
final class DecodeProcessor extends ContextualProcessor<byte[], byte[], String, Decoded> {

    private static final Logger log = LoggerFactory.getLogger(DecodeProcessor.class);

    @Override
    public void process(Record<byte[], byte[]> record) {
        String reason;
        String key = null;
        try {
            key = utf8Key(record.key());
            SweepEvent event = EventJson.decodeEvent(record.value());
            if (key == null) {
                reason = "key=null: events must be keyed by their sweepId ("
                        + event.sweepId() + ")";
            } else if (!key.equals(event.sweepId())) {
                reason = "key=" + abbreviate(key) + ": does not match sweepId="
                        + event.sweepId();
            } else {
                context().forward(record.withKey(key).withValue(Decoded.valid(event)));
                return;
            }
        } catch (InvalidEventException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            reason = "undecodable record: " + e;
        }
        log.debug("dead letter key={} reason={}", key, reason);
        context().forward(record.withKey(key)
                .withValue(Decoded.invalid(reason, record.key(), record.value())));
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
}
