package io.lrscope.agent;

import io.lrscope.events.SweepEvent;

/**
 * Where a sweep's events go, in order: Kafka in production ({@link KafkaSweepSink}), a list in
 * tests. {@link #publish} may be asynchronous; {@link #flush} returns once everything published
 * so far has been delivered, and throws if any of it could not be.
 */
public interface SweepSink extends AutoCloseable {

    void publish(SweepEvent event);

    void flush();

    @Override
    void close();
}
