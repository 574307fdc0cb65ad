package io.lrscope.analyzer.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.lrscope.analyzer.topology.AnalyzerConfig;
import io.lrscope.analyzer.topology.AnalyzerService;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.Topics;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Analyzer throughput against a plain consumer on the same broker and the same topic, in one
 * run (the machine is shared, so only same-run ratios mean much). Steps:
 *
 * <ol>
 *   <li>produce {@code sweeps × steps} realistic StepObserved events (plus one SweepStarted and
 *       one SweepEnded per sweep), all sweeps interleaved step by step as if they ran at once,
 *       to a 6-partition events topic;
 *   <li>(a) a plain KafkaConsumer decoding every record with {@link EventJson}: records/s;
 *   <li>(b) the real {@link AnalyzerService} with its production config (exactly_once_v2) from
 *       the beginning of the topic until every sweep's final recommendation is out: records/s
 *       (events/s), after one warm-up pass under another application id;
 *   <li>(c) how many sweeps got their final; then, in the last round, {@code sweeps} more
 *       sweeps held running at full length: the heap after GC, then their finals.
 * </ol>
 *
 * <p>After the warm-ups, each of {@code --rounds} runs the consumer and then the analyzer (a
 * new application id per round; the last round uses the production one and reports finals and
 * heap); the medians over rounds close the output, the box being shared.
 *
 * <p>Prints {@code key=value} lines on stdout. {@code finals_digest} hashes every final's
 * numbers (not its advice wording), so two builds that compute the same answers print the same
 * digest.
 *
 * <p>Arguments: {@code [--bootstrap HOST:PORT] [--sweeps 1000] [--steps 300]
 * [--steps-per-record 1] [--rounds 1]}; without a bootstrap an embedded broker runs inside this
 * JVM. With
 * more than one step per record the agents' steps travel as StepsObserved: the
 * {@code *_records_per_s} figures count records, {@code *_steps_per_s} count steps.
 */
public final class AnalyzerThroughputBench {

    private static final int PARTITIONS = 6;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final byte[] FINAL_MARK =
            "\"status\":\"final\"".getBytes(StandardCharsets.UTF_8);

    private final String bootstrap;
    private final int sweeps;
    private final int steps;
    private final int stepsPerRecord;
    private final int rounds;
    private final AtomicLong heapAfterGcPeak = new AtomicLong();

    private AnalyzerThroughputBench(
            String bootstrap, int sweeps, int steps, int stepsPerRecord, int rounds) {
        this.bootstrap = bootstrap;
        this.rounds = rounds;
        this.sweeps = sweeps;
        this.steps = steps;
        this.stepsPerRecord = stepsPerRecord;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int sweeps = Integer.parseInt(options.getOrDefault("sweeps", "1000"));
        int steps = Integer.parseInt(options.getOrDefault("steps", "300"));
        int perRecord = Integer.parseInt(options.getOrDefault("steps-per-record", "1"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        EmbeddedKafka embedded = options.containsKey("bootstrap") ? null : EmbeddedKafka.start();
        String bootstrap =
                embedded == null ? options.get("bootstrap") : embedded.bootstrapServers();
        try {
            new AnalyzerThroughputBench(bootstrap, sweeps, steps, perRecord, rounds).run();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private void run() throws Exception {
        print("broker", bootstrap);
        print("sweeps", sweeps);
        print("steps_per_sweep", steps);
        print("steps_per_record", stepsPerRecord);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Topics.ensure(admin, PARTITIONS, (short) 1);
            print("events_topic_partitions", admin.describeTopics(List.of(Topics.SWEEP_EVENTS))
                    .allTopicNames().get().get(Topics.SWEEP_EVENTS).partitions().size());
        }

        long events = produce();
        long totalSteps = (long) sweeps * steps;
        consume(events, "consumer_warmup_records_per_s");
        List<double[]> measured = analyze(events);
        double consumerRate = median(measured, 0);
        double analyzerRate = median(measured, 1);

        print("consumer_records_per_s_median", consumerRate);
        print("consumer_steps_per_s_median", consumerRate * totalSteps / events);
        print("analyzer_records_per_s_median", analyzerRate);
        print("analyzer_steps_per_s_median", analyzerRate * totalSteps / events);
        print("ratio_analyzer_to_consumer_median", String.format(Locale.ROOT, "%.2f",
                median(measured, 2)));
    }

    private static double median(List<double[]> rounds, int column) {
        double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** Publishes every sweep's events, sweeps interleaved step by step; returns the count. */
    private long produce() throws Exception {
        long started = System.nanoTime();
        long count = produce(0, true);
        print("events_produced", count);
        print("producer_records_per_s", rate(count, System.nanoTime() - started));
        return count;
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sweeps {@code first..first+sweeps-1}; the held ones (first > 0) are named held-. */
    private List<SyntheticSweep> sweeps(int first) {
        List<SyntheticSweep> all = new ArrayList<>();
        for (int i = first; i < first + sweeps; i++) {
            all.add(new SyntheticSweep(i, steps, first > 0 ? "held" : "bench"));
        }
        return all;
    }

    private void produceEnds(int first) {
        try (var producer = producer()) {
            for (SyntheticSweep sweep : sweeps(first)) {
                send(producer, sweep.ended());
            }
        }
    }

    private long produce(int first, boolean withEnds) {
        List<SyntheticSweep> all = sweeps(first);
        long count = 0;
        try (var producer = producer()) {
            for (SyntheticSweep sweep : all) {
                count += send(producer, sweep.started());
            }
            for (int step = 0; step < steps; step += stepsPerRecord) {
                for (SyntheticSweep sweep : all) {
                    count += send(producer, stepsPerRecord == 1
                            ? sweep.step(step) : sweep.steps(step, stepsPerRecord));
                }
            }
            if (withEnds) {
                for (SyntheticSweep sweep : all) {
                    count += send(producer, sweep.ended());
                }
            }
            producer.flush();
        }
        return count;
    }

    private static int send(KafkaProducer<String, byte[]> producer, SweepEvent event) {
        producer.send(new ProducerRecord<>(
                Topics.SWEEP_EVENTS, event.sweepId(), EventJson.encode(event)));
        return 1;
    }

    /** (a) A plain consumer reading and decoding the whole events topic. */
    private double consume(long expected, String key) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long count = 0;
        long checksum = 0;
        long cpu = processCpuNanos();
        long started = System.nanoTime();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(
                props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(Topics.SWEEP_EVENTS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (count < expected) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    SweepEvent event = EventJson.decodeEvent(r.value());
                    checksum += event.sweepId().length();
                    count++;
                }
                if (System.nanoTime() - started > TIMEOUT.toNanos()) {
                    throw new IllegalStateException("consumer read only " + count + " records");
                }
            }
        }
        double rate = rate(count, System.nanoTime() - started);
        print(key, rate);
        print(key.replace("records_per_s", "cpu_us_per_record"), String.format(Locale.ROOT,
                "%.1f", (processCpuNanos() - cpu) / 1e3 / count));
        return checksum > 0 ? rate : 0;
    }

    /**
     * (b) and (c): the production analyzer from the start of the topic to the last final, after
     * a warm-up pass of the same kind under another application id (the consumer gets one too).
     */
    private List<double[]> analyze(long events) throws Exception {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<String, byte[]>(
                props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(Topics.RECOMMENDATIONS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            AnalyzerConfig production = AnalyzerConfig.defaults(bootstrap, Path.of("unused"));
            runAnalyzer(new AnalyzerConfig(bootstrap, production.applicationId() + "-warmup",
                    Path.of("unused"), production.curveSettings(), production.adviceSettings(),
                    production.staleAfter(), production.exactlyOnce()),
                    events, consumer, "analyzer_warmup");
            watchHeapAfterGc();
            List<double[]> measured = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double consumerRate = consume(events, "round" + round + "_consumer_records_per_s");
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                boolean last = round == rounds;
                AnalyzerConfig config = last ? production : new AnalyzerConfig(bootstrap,
                        production.applicationId() + "-round" + round, Path.of("unused"),
                        production.curveSettings(), production.adviceSettings(),
                        production.staleAfter(), production.exactlyOnce());
                double analyzerRate = runAnalyzer(config, events, consumer,
                        last ? "analyzer" : "round" + round + "_analyzer");
                if (last) {
                    print("round" + round + "_analyzer_records_per_s", analyzerRate);
                }
                print("round" + round + "_ratio", String.format(Locale.ROOT, "%.2f",
                        analyzerRate / consumerRate));
                measured.add(new double[] {consumerRate, analyzerRate,
                        analyzerRate / consumerRate});
            }
            return measured;
        }
    }

    private double runAnalyzer(AnalyzerConfig config, long events,
            KafkaConsumer<String, byte[]> consumer, String key) throws Exception {
        Path stateDir = Files.createTempDirectory(Path.of("target"), "bench-state-");
        Map<String, byte[]> finals = new TreeMap<>();
        long recommendations = 0;
        double rate;
        boolean measured = key.equals("analyzer");
        AnalyzerConfig withStateDir = new AnalyzerConfig(config.bootstrapServers(),
                config.applicationId(), stateDir.toAbsolutePath(), config.curveSettings(),
                config.adviceSettings(), config.staleAfter(), config.exactlyOnce());
        try {
            long starting = System.nanoTime();
            try (AnalyzerService analyzer = new AnalyzerService(withStateDir)) {
                analyzer.start(Duration.ofSeconds(60));
                long cpu = processCpuNanos();
                long started = System.nanoTime();
                print(key + "_start_ms", (started - starting) / 1_000_000);
                while (finals.size() < sweeps) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        recommendations++;
                        if (isFinal(r.value())) {
                            finals.put(r.key(), r.value());
                        }
                    }
                    if (System.nanoTime() - started > TIMEOUT.toNanos()) {
                        throw new IllegalStateException("only " + finals.size() + " finals");
                    }
                }
                rate = rate(events, System.nanoTime() - started);
                print(key + "_records_per_s", rate);
                print(key + "_cpu_us_per_record", String.format(Locale.ROOT, "%.1f",
                        (processCpuNanos() - cpu) / 1e3 / events));
                if (measured) {
                    print("recommendations_published", recommendations);
                    print("final_recommendations", finals.size());
                    reportHeap();
                    holdSweepsRunning(withStateDir.applicationId(), consumer);
                }
            }
        } finally {
            deleteRecursively(stateDir);
        }
        if (measured) {
            print("finals_digest", digest(finals));
        }
        return rate;
    }

    private static boolean isFinal(byte[] json) {
        int end = Math.min(json.length, 200) - FINAL_MARK.length;
        outer:
        for (int i = 0; i <= end; i++) {
            for (int j = 0; j < FINAL_MARK.length; j++) {
                if (json[i + j] != FINAL_MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The numbers of every final, in sweep order; equal digests mean equal answers. */
    private static String digest(Map<String, byte[]> finals) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (byte[] json : finals.values()) {
            Recommendation r = EventJson.decodeRecommendation(json);
            String line = String.join("|", r.sweepId(), r.status(), r.verdict(),
                    String.valueOf(r.lastStep()), String.valueOf(r.pointsSeen()),
                    String.valueOf(r.pointsUsed()), String.valueOf(r.burnIn()),
                    String.valueOf(r.duplicates()), String.valueOf(r.ranks()),
                    String.valueOf(r.minLoss()), String.valueOf(r.minLossLr()),
                    String.valueOf(r.pickLr()), String.valueOf(r.steepestLr()),
                    String.valueOf(r.divergedAtStep()), String.valueOf(r.divergence()),
                    String.valueOf(r.inconclusive()), String.valueOf(r.reason()),
                    String.valueOf(r.endedBy()), String.valueOf(r.suggestedRange()),
                    String.valueOf(r.scaled()), String.valueOf(r.effectiveBatch()));
            sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    /** Keeps the largest live heap any GC left behind while the analyzer ran. */
    private void watchHeapAfterGc() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                        .equals(notification.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> pool
                        : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                heapAfterGcPeak.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    /**
     * (c) Another {@code sweeps} sweeps with all their steps but no SweepEnded: once the
     * analyzer has committed the whole topic they are all running at full length, the most it
     * ever holds; the heap after GC is read then. Then they end, and their finals are counted.
     */
    private void holdSweepsRunning(String applicationId, KafkaConsumer<String, byte[]> consumer)
            throws Exception {
        produce(sweeps, false);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!committedToTheEnd(admin, applicationId)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("analyzer did not catch up");
                }
                Thread.sleep(100);
            }
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        print("heap_used_after_gc_with_all_sweeps_running_mb", used / (1024 * 1024));

        produceEnds(sweeps);
        java.util.Set<String> finals = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (finals.size() < sweeps && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                if (isFinal(r.value()) && r.key().startsWith("held-")) {
                    finals.add(r.key());
                }
            }
        }
        print("held_sweeps_final_recommendations", finals.size());
    }

    private boolean committedToTheEnd(Admin admin, String applicationId) throws Exception {
        var committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        for (TopicPartition tp : partitions(Topics.SWEEP_EVENTS)) {
            latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            var at = committed.get(end.getKey());
            if (at == null || at.offset() < end.getValue().offset()) {
                return false;
            }
        }
        return true;
    }

    private void reportHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        print("heap_used_after_gc_end_mb", used / (1024 * 1024));
        print("heap_used_after_gc_peak_mb", heapAfterGcPeak.get() / (1024 * 1024));
        print("heap_max_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    /** CPU time of this whole JVM (all threads, GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double rate(long count, long nanos) {
        return count / (nanos / 1e9);
    }

    private static void print(String key, Object value) {
        String text = value instanceof Double d
                ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(value);
        System.out.println(key + "=" + text);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * One sweep as a trainer agent would report it: an exponential ramp from 1e-7 to 1, a loss
     * that falls, bottoms out near a per-sweep LR, then blows up (NaN for some sweeps), with a
     * few percent of noise. Seeded by the sweep's index, so every run sends the same curves.
     */
    private static final class SyntheticSweep {
        final String sweepId;
        final int steps;
        final double log10MinLr;
        final double[] noise;
        final boolean nanTail;

        SyntheticSweep(int index, int steps, String prefix) {
            Random random = new Random(index);
            this.sweepId = String.format(Locale.ROOT, "%s-%05d-%08x", prefix, index,
                    random.nextInt());
            this.steps = steps;
            this.log10MinLr = -3.5 + 1.5 * random.nextDouble();
            this.nanTail = random.nextInt(10) == 0;
            this.noise = new double[steps];
            for (int i = 0; i < steps; i++) {
                noise[i] = 1 + 0.03 * random.nextGaussian();
            }
        }

        SweepStarted started() {
            return SweepStarted.of(sweepId, 0, new SweepConfig("mlp-64-32-10", "digits",
                    "adamw", 32, 1, 1, "exponential", 1e-7, 1.0, steps, 42L, "bench", null),
                    System.currentTimeMillis());
        }

        StepObserved step(int step) {
            double x = -7 + 7.0 * step / (steps - 1);
            double lr = Math.pow(10, x);
            double descent = 1.8 / (1 + Math.exp(-2.5 * (x - (log10MinLr - 1.5))));
            double blowUp = 0.3 * Math.exp(3 * (x - log10MinLr));
            double loss = (2.3 - descent + blowUp) * noise[step];
            if (nanTail && loss > 50) {
                loss = Double.NaN;
            }
            return StepObserved.of(sweepId, 0, step, lr, loss, System.currentTimeMillis());
        }

        StepsObserved steps(int first, int count) {
            List<StepsObserved.Step> batch = new ArrayList<>();
            for (int step = first; step < Math.min(steps, first + count); step++) {
                StepObserved one = step(step);
                batch.add(new StepsObserved.Step(one.step(), one.lr(), one.loss()));
            }
            return StepsObserved.of(sweepId, 0, batch, System.currentTimeMillis());
        }

        SweepEnded ended() {
            return SweepEnded.of(sweepId, 0, SweepEnded.Outcome.COMPLETED, null, steps - 1,
                    System.currentTimeMillis());
        }
    }
}
