package io.lrscope.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * The shape of a dead letter: the original key and value bytes untouched, and headers that say
 * why and where the record came from, so a person can read the reason and a tool can re-send it.
 */
public final class DeadLetters {

    public static final String REASON = "lrscope.dlq.reason";
    public static final String SOURCE_TOPIC = "lrscope.dlq.topic";
    public static final String SOURCE_PARTITION = "lrscope.dlq.partition";
    public static final String SOURCE_OFFSET = "lrscope.dlq.offset";

    private DeadLetters() {}

    public static void describe(
            Headers headers, String reason, String topic, int partition, long offset) {
        headers.add(REASON, utf8(reason));
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    }

    public static String reason(Headers headers) {
        var header = headers.lastHeader(REASON);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
