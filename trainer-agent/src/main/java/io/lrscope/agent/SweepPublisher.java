package io.lrscope.agent;

import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes publishing off the training thread. {@link #publish} puts the event on a bounded queue
 * and returns; one publisher thread takes the queue in order, groups consecutive steps of one
 * sweep and rank into {@code StepsObserved} records (sized and timed by {@link PublishSettings})
 * and hands those, and every other event, to the delegate, which encodes and sends them. Records
 * leave in the order of the {@code publish} calls; no step is dropped or repeated. A record of
 * one step is sent as the {@code StepObserved} it was.
 *
 * <p>A full queue blocks {@code publish}: a broker that stalls the delegate stalls training
 * rather than losing steps. The delegate's first failure is kept and thrown by the next
 * {@link #publish} or {@link #flush}; from then on the queue is emptied without sending, so the
 * training thread is never left blocked. {@link #flush} returns once everything published before
 * it, a partly filled record included, has been handed over and the delegate flushed.
 */
public final class SweepPublisher implements SweepSink {

    private static final Logger LOG = LoggerFactory.getLogger(SweepPublisher.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Object CLOSE = new Object();
    private static final long OFFER_SLICE_MILLIS = 100;

    private final SweepSink delegate;
    private final int stepsPerRecord;
    private final long maxDelayNanos;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final AtomicLong stepsQueued = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean closed;

    // Touched by the publisher thread only.
    private final List<StepObserved> pending = new ArrayList<>();
    private long pendingDeadlineNanos;
    private long recordsSent;
    private long stepsSent;

    public SweepPublisher(SweepSink delegate, PublishSettings settings) {
        settings.validate();
        this.delegate = delegate;
        this.stepsPerRecord = settings.stepsPerRecord();
        this.maxDelayNanos = settings.maxDelay().toNanos();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, "lrscope-publisher-" + INSTANCES.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues the event and returns; blocks only while the queue is full. The publisher is woken
     * for the first step of a record, every {@code stepsPerRecord} steps and for every other
     * event, not for each step, so a step costs the training thread little more than the put.
     */
    @Override
    public void publish(SweepEvent event) {
        throwIfFailed();
        if (closed) {
            throw new IllegalStateException("bug: publish after close, event=" + event);
        }
        put(event);
        if (!(event instanceof StepObserved)
                || stepsQueued.incrementAndGet() % stepsPerRecord == 0) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        put(done);
        LockSupport.unpark(thread);
        try {
            while (true) {
                try {
                    done.get(OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    requireAlive();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while flushing sweep events", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bug: flush marker failed", e.getCause());
        }
        throwIfFailed();
    }

    /** Sends what is queued, stops the publisher thread, then closes the delegate. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (thread.isAlive()) {
                put(CLOSE);
                LockSupport.unpark(thread);
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("sweep publisher could not drain before close: {}", e.toString());
        } finally {
            delegate.close();
        }
    }

    /** CPU time the publisher thread has used so far, -1 once it has ended (for benchmarks). */
    long publisherCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.getThreadCpuTime(thread.getId());
    }

    private void put(Object item) {
        try {
            while (!queue.offer(item, OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                requireAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a sweep event", e);
        }
    }

    private void requireAlive() {
        if (!thread.isAlive()) {
            throwIfFailed();
            throw new IllegalStateException("bug: the sweep publisher thread has ended");
        }
    }

    private void throwIfFailed() {
        RuntimeException error = failure.get();
        if (error != null) {
            throw new IllegalStateException(error.getMessage(), error);
        }
    }

    private void run() {
        try {
            while (true) {
                Object item = pending.isEmpty() ? queue.take() : queue.poll();
                if (item == null) {
                    long waitNanos = pendingDeadlineNanos - System.nanoTime();
                    if (waitNanos <= 0) {
                        sendPending();
                    } else {
                        LockSupport.parkNanos(this, waitNanos);
                    }
                } else if (item == CLOSE) {
                    sendPending();
                    break;
                } else {
                    handle(item);
                }
            }
        } catch (InterruptedException e) {
            fail(new IllegalStateException("sweep publisher interrupted", e));
        } catch (RuntimeException | Error e) {
            fail(new IllegalStateException("bug: sweep publisher failed: " + e, e));
            LOG.error("sweep publisher failed; the sweep fails at its next step", e);
        } finally {
            for (Object left = queue.poll(); left != null; left = queue.poll()) {
                if (left instanceof CompletableFuture<?> marker) {
                    marker.complete(null);
                }
            }
            LOG.debug("sweep publisher ended records={} steps={}", recordsSent, stepsSent);
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(Object item) {
        if (item instanceof CompletableFuture<?> marker) {
            sendPending();
            if (failure.get() == null) {
                try {
                    delegate.flush();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
            ((CompletableFuture<Void>) marker).complete(null);
        } else if (item instanceof StepObserved step) {
            if (!pending.isEmpty() && !continuesPending(step)) {
                sendPending();
            }
            if (pending.isEmpty()) {
                pendingDeadlineNanos = System.nanoTime() + maxDelayNanos;
            }
            pending.add(step);
            if (pending.size() >= stepsPerRecord) {
                sendPending();
            }
        } else {
            sendPending();
            send((SweepEvent) item, 0);
        }
    }

    /** Same sweep, same rank, the very next step: only then may it share the record. */
    private boolean continuesPending(StepObserved step) {
        StepObserved last = pending.get(pending.size() - 1);
        return step.rank() == last.rank() && step.step() == last.step() + 1
                && step.sweepId().equals(last.sweepId());
    }

    private void sendPending() {
        if (pending.isEmpty()) {
            return;
        }
        StepObserved first = pending.get(0);
        SweepEvent record;
        if (pending.size() == 1) {
            record = first;
        } else {
            List<StepsObserved.Step> steps = new ArrayList<>(pending.size());
            for (StepObserved s : pending) {
                steps.add(new StepsObserved.Step(s.step(), s.lr(), s.loss()));
            }
            record = StepsObserved.of(first.sweepId(), first.rank(), steps,
                    pending.get(pending.size() - 1).wallMillis());
        }
        int steps = pending.size();
        pending.clear();
        send(record, steps);
    }

    private void send(SweepEvent record, int steps) {
        if (failure.get() != null) {
            return; // the sweep is failing; the training thread learns it at its next publish
        }
        try {
            delegate.publish(record);
            recordsSent++;
            stepsSent += steps;
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.debug("sweep publisher failed: {}", e.toString());
        }
    }
}
