package io.lrscope.agent;

import io.lrscope.events.StepsObserved;
import java.time.Duration;

/**
 * How a {@link SweepPublisher} groups steps into records. A record leaves the agent when it holds
 * {@code stepsPerRecord} steps or when its oldest step has waited {@code maxDelay}, whichever
 * comes first, so a slow model's steps still reach the page promptly. With
 * {@code stepsPerRecord} 1 every step is its own {@code StepObserved}, as before batching.
 *
 * @param stepsPerRecord steps per {@code StepsObserved} record (default 16)
 * @param maxDelay longest a step waits in the agent before it is sent (default 50 ms)
 * @param queueCapacity steps and events the training thread may be ahead of the publisher
 *     before {@code publish} blocks (default 4,096)
 */
public record PublishSettings(int stepsPerRecord, Duration maxDelay, int queueCapacity) {

    public static final int DEFAULT_STEPS_PER_RECORD = 16;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(50);
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;

    public static PublishSettings defaults() {
        return new PublishSettings(
                DEFAULT_STEPS_PER_RECORD, DEFAULT_MAX_DELAY, DEFAULT_QUEUE_CAPACITY);
    }

    public PublishSettings withStepsPerRecord(int steps) {
        return new PublishSettings(steps, maxDelay, queueCapacity);
    }

    public PublishSettings withMaxDelay(Duration delay) {
        return new PublishSettings(stepsPerRecord, delay, queueCapacity);
    }

    /** Throws {@link IllegalArgumentException} naming the first bad field and its value. */
    public PublishSettings validate() {
        if (stepsPerRecord < 1 || stepsPerRecord > StepsObserved.MAX_STEPS) {
            throw new IllegalArgumentException("stepsPerRecord=" + stepsPerRecord
                    + ": must be in 1.." + StepsObserved.MAX_STEPS);
        }
        if (maxDelay == null || maxDelay.isNegative() || maxDelay.isZero()
                || maxDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("maxDelay=" + (maxDelay == null ? null
                    : maxDelay.toMillis() + "ms") + ": must be in 1 ms..60 s");
        }
        if (queueCapacity < 2 * stepsPerRecord) {
            throw new IllegalArgumentException("queueCapacity=" + queueCapacity
                    + ": must be >= 2 × stepsPerRecord (" + 2 * stepsPerRecord + ")");
        }
        return this;
    }
}
