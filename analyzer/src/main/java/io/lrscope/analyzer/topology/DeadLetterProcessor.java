package io.lrscope.analyzer.topology;

import io.lrscope.events.DeadLetters;
import io.lrscope.events.Topics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Restores a rejected record's original key and value and adds the reason as headers. */
final class DeadLetterProcessor extends ContextualProcessor<String, Decoded, byte[], byte[]> {

    @Override
    public void process(Record<String, Decoded> record) {
        Decoded rejected = record.value();
        RecordMetadata source = context().recordMetadata().orElse(null);
        RecordHeaders headers = new RecordHeaders();
        DeadLetters.describe(
                headers,
                rejected.reason(),
                source == null ? Topics.SWEEP_EVENTS : source.topic(),
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset());
        context().forward(new Record<>(
                rejected.originalKey(), rejected.originalValue(), record.timestamp(), headers));
    }
}
