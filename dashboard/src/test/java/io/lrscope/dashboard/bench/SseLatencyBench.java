package io.lrscope.dashboard.bench;

import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.dashboard.DashboardConfig;
import io.lrscope.dashboard.DashboardServer;
import io.lrscope.dashboard.TestSweeps;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures what a person watching the page feels: the time from a step event being produced to
 * every connected SSE client holding it, with 200 clients on one sweep; then the heap the
 * dashboard needs with 1,000 sweeps loaded. Broker, dashboard and clients share this JVM and
 * the machine's 2 cores, so the numbers include their contention.
 *
 * <p>Run: {@code mvn -o -q -pl dashboard test-compile exec:java} (optional system properties
 * {@code -Dbench.clients=200 -Dbench.events=500 -Dbench.sweeps=1000 -Dbench.steps=300}).
 */
public final class SseLatencyBench {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 200);
    private static final int EVENTS = Integer.getInteger("bench.events", 500);
    private static final int EVENT_INTERVAL_MILLIS = Integer.getInteger("bench.intervalMillis", 20);
    private static final int SWEEPS = Integer.getInteger("bench.sweeps", 1000);
    private static final int STEPS = Integer.getInteger("bench.steps", 300);
    private static final String LIVE = "bench-live";

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Topics.ensure(kafka.admin(), 3, (short) 1);
            DashboardConfig config = new DashboardConfig(kafka.bootstrapServers(), null, 0, null)
                    .withMaxSseClients(CLIENTS + 50);
            try (DashboardServer dashboard = new DashboardServer(config);
                    KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                dashboard.start();
                long baseline = usedHeapAfterGc();
                latency(dashboard, producer);
                heap(dashboard, producer, baseline);
            }
        }
        System.exit(0);
    }

    private static void latency(DashboardServer dashboard, KafkaProducer<String, byte[]> producer)
            throws Exception {
        SweepConfig config = TestSweeps.config("bench", "mlp", EVENTS + 1);
        send(producer, LIVE, SweepStarted.of(LIVE, 0, config, System.currentTimeMillis()));
        send(producer, LIVE, StepObserved.of(LIVE, 0, 0, 1e-7, 2.3, System.currentTimeMillis()));
        producer.flush();
        while (dashboard.pointCount() < 1) {
            Thread.sleep(20);
        }

        long[] sentNanos = new long[EVENTS + 1];
        AtomicLongArray received = new AtomicLongArray(CLIENTS);
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger connected = new AtomicInteger();
        Vertx clientVertx = Vertx.vertx();
        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions(),
                new PoolOptions().setHttp1MaxSize(CLIENTS + 10));
        for (int i = 0; i < CLIENTS; i++) {
            int index = i;
            client.request(new RequestOptions().setMethod(HttpMethod.GET)
                            .setHost("127.0.0.1").setPort(dashboard.port())
                            .setURI("/api/sweeps/" + LIVE + "/stream?lastEventId=0"))
                    .compose(req -> req.send())
                    .onSuccess(resp -> {
                        connected.incrementAndGet();
                        resp.handler(RecordParser.newDelimited("\n\n", frame -> {
                            long now = System.nanoTime();
                            String text = frame.toString();
                            if (!text.contains("event: points")) {
                                return;
                            }
                            int at = 0;
                            while ((at = text.indexOf("\"step\":", at)) >= 0) {
                                int end = at + 7;
                                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                                    end++;
                                }
                                int step = Integer.parseInt(text.substring(at + 7, end));
                                if (step > 0 && step <= EVENTS && sentNanos[step] != 0) {
                                    samples.add(new long[] {step, now - sentNanos[step]});
                                    received.incrementAndGet(index);
                                }
                                at = end;
                            }
                        }));
                    })
                    .onFailure(e -> System.err.println("client " + index + " failed: " + e));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (connected.get() < CLIENTS && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        System.out.printf(Locale.ROOT, "sse clients connected=%d%n", connected.get());

        for (int step = 1; step <= EVENTS; step++) {
            sentNanos[step] = System.nanoTime();
            send(producer, LIVE, StepObserved.of(LIVE, 0, step, 1e-7 * Math.pow(1.02, step),
                    2.3 - step * 1e-3, System.currentTimeMillis()));
            Thread.sleep(EVENT_INTERVAL_MILLIS);
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (samples.size() < (long) CLIENTS * EVENTS && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (Boolean.getBoolean("bench.detail")) {
            long[] worstByStep = new long[EVENTS + 1];
            samples.forEach(x -> worstByStep[(int) x[0]] = Math.max(worstByStep[(int) x[0]], x[1]));
            List<String> worst = new ArrayList<>();
            for (int step = 1; step <= EVENTS; step++) {
                if (worstByStep[step] > 100_000_000L) {
                    worst.add(step + ":" + worstByStep[step] / 1_000_000 + "ms");
                }
            }
            System.out.println("steps slower than 100 ms for some client: " + worst);
        }
        long[] latencies = samples.stream().mapToLong(s -> s[1]).sorted().toArray();
        long expected = (long) CLIENTS * EVENTS;
        System.out.printf(Locale.ROOT,
                "sse latency: clients=%d events=%d interval=%dms samples=%d/%d p50=%.1fms "
                        + "p99=%.1fms max=%.1fms (goal p99 < 250 ms)%n",
                CLIENTS, EVENTS, EVENT_INTERVAL_MILLIS, latencies.length, expected,
                millis(percentile(latencies, 0.50)), millis(percentile(latencies, 0.99)),
                millis(latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        client.close();
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void heap(DashboardServer dashboard, KafkaProducer<String, byte[]> producer,
            long baseline) throws Exception {
        long started = System.nanoTime();
        long expectedPoints = dashboard.pointCount() + (long) SWEEPS * STEPS;
        for (int s = 0; s < SWEEPS; s++) {
            String id = String.format(Locale.ROOT, "sweep-%04d", s);
            SweepConfig config = TestSweeps.config("heap " + s, "mlp-" + (s % 7), STEPS);
            send(producer, id, SweepStarted.of(id, 0, config, System.currentTimeMillis()));
            List<TestSweeps.Row> rows = new ArrayList<>(STEPS);
            for (int step = 0; step < STEPS; step++) {
                double lr = 1e-7 * Math.pow(10, 7.0 * step / STEPS);
                double loss = 2.3 - Math.sin(Math.PI * step / (STEPS * 1.3)) + 1e-4 * (s % 13);
                rows.add(new TestSweeps.Row(step, lr, loss));
                send(producer, id,
                        StepObserved.of(id, 0, step, lr, loss, System.currentTimeMillis()));
            }
            byte[] rec = EventJson.encode(TestSweeps.recommendationFor(
                    id, rows, config, Recommendation.FINAL));
            producer.send(new ProducerRecord<>(Topics.RECOMMENDATIONS, id, rec));
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while ((dashboard.sweepCount() < SWEEPS + 1 || dashboard.pointCount() < expectedPoints)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long used = usedHeapAfterGc();
        System.out.printf(Locale.ROOT,
                "heap: sweeps=%d points=%d loaded in %.1fs; used after GC=%.1f MB, "
                        + "growth over the empty dashboard=%.1f MB (%.1f KB per %d-step sweep)%n",
                dashboard.sweepCount(), dashboard.pointCount(), seconds, used / 1048576.0,
                (used - baseline) / 1048576.0, (used - baseline) / 1024.0 / SWEEPS, STEPS);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, Object event) {
        producer.send(new ProducerRecord<>(Topics.SWEEP_EVENTS, key, EventJson.encode(event)));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private SseLatencyBench() {}
}
