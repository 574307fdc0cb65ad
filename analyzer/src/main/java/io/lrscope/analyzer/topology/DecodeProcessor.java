package io.lrscope.analyzer.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates raw event bytes ({@link Decoded#of}). Nothing here throws: a bad record
 * is passed on as invalid with its reason, so it lands in dead letters and the stream thread
 * keeps running for every other sweep.
 */
final class DecodeProcessor extends ContextualProcessor<byte[], byte[], String, Decoded> {

    private static final Logger log = LoggerFactory.getLogger(DecodeProcessor.class);

    @Override
    public void process(Record<byte[], byte[]> record) {
        Decoded decoded = Decoded.of(record.key(), record.value());
        if (decoded.isValid()) {
            AnalyzerMetrics.EVENTS_IN.increment();
            context().forward(record.withKey(decoded.event().sweepId()).withValue(decoded));
            return;
        }
        String key = record.key() == null
                ? null : new String(record.key(), StandardCharsets.UTF_8);
        log.debug("dead letter key={} reason={}", key, decoded.reason());
        AnalyzerMetrics.DEAD_LETTERS.increment();
        context().forward(record.withKey(key).withValue(decoded));
    }
}
