package io.lrscope.cli;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.audit.ReplayAudit;
import io.lrscope.analyzer.topology.Decoded;
import io.lrscope.events.EventJson;
import io.lrscope.events.InvalidEventException;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lrscope replay}: audit the recommendations topic against the events topic. Exit 0 when
 * every selected sweep's published recommendation is what its events give, 3 when any differs.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-derive recommendations from the events topic and diff them against the "
                + "recommendations topic. Exit 0: identical; 3: differences.")
final class ReplayCommand implements Callable<Integer> {

    static final int DIFFERENT = 3;

    @Mixin KafkaOptions kafka = new KafkaOptions();
    @Mixin AnalysisOptions analysis = new AnalysisOptions();

    @Option(names = "--sweep", description = "only this sweep")
    String sweepId;

    @Option(names = "--from", converter = Instants.class, description = "only sweeps with an "
            + "event at or after this instant, e.g. 2026-12-04T10:00:00Z")
    Instant from;

    @Option(names = "--to", converter = Instants.class,
            description = "only sweeps with an event before this instant")
    Instant to;

    /** ISO-8601 instants, with an error a person can act on. */
    static final class Instants implements picocli.CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return Instant.parse(text.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + text
                        + "' is not an instant like 2026-12-04T10:00:00Z (UTC, ISO-8601)");
            }
        }
    }

    @Option(names = "--json", description = "one JSON line per sweep")
    boolean json;

    @Override
    public Integer call() {
        Map<String, List<SweepEvent>> events = new LinkedHashMap<>();
        Set<String> inRange = new HashSet<>();
        int rejected = readEvents(events, inRange);
        Map<String, Recommendation> published = readPublished();

        ReplayAudit audit = new ReplayAudit(analysis.curveSettings(),
                new AdviceSettings(analysis.trainingSteps, analysis.warmupFraction));
        int differing = 0;
        int audited = 0;
        for (Map.Entry<String, List<SweepEvent>> sweep : events.entrySet()) {
            if (!inRange.contains(sweep.getKey())) {
                continue;
            }
            audited++;
            ReplayAudit.SweepDiff diff =
                    audit.audit(sweep.getKey(), sweep.getValue(), published.get(sweep.getKey()));
            if (!diff.identical()) {
                differing++;
            }
            System.out.println(json ? EventJson.toJson(diff) : line(diff));
        }
        if (sweepId != null && audited == 0) {
            throw new Errors.UserError("sweep=" + sweepId + ": no events for it on "
                    + Topics.SWEEP_EVENTS + (from != null || to != null ? " in that range" : ""));
        }
        System.out.println("replayed sweeps=" + audited + " identical=" + (audited - differing)
                + " differing=" + differing + " deadLettersSkipped=" + rejected);
        return differing == 0 ? 0 : DIFFERENT;
    }

    private static String line(ReplayAudit.SweepDiff diff) {
        if (diff.identical()) {
            return "sweep=" + diff.sweepId() + " identical";
        }
        StringBuilder out = new StringBuilder("sweep=" + diff.sweepId() + " differs fields="
                + String.join(",", diff.fields()));
        if (diff.fromStep() != null) {
            out.append(" fromStep=").append(diff.fromStep());
        }
        if (diff.published() != null) {
            out.append(" published.pickLr=").append(diff.published().pickLr())
                    .append(" replayed.pickLr=").append(diff.replayed().pickLr());
        }
        return out.toString();
    }

    /** Reads the events topic up to its end at start; returns how many records were rejected. */
    private int readEvents(Map<String, List<SweepEvent>> events, Set<String> inRange) {
        int rejected = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = assignAll(consumer, Topics.SWEEP_EVENTS);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!caughtUp(consumer, end, partitions)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Decoded decoded = Decoded.of(r.key(), r.value());
                    if (!decoded.isValid()) {
                        rejected++;
                        continue;
                    }
                    String id = decoded.event().sweepId();
                    if (sweepId != null && !sweepId.equals(id)) {
                        continue;
                    }
                    events.computeIfAbsent(id, k -> new ArrayList<>()).add(decoded.event());
                    Instant at = Instant.ofEpochMilli(r.timestamp());
                    if ((from == null || !at.isBefore(from)) && (to == null || at.isBefore(to))) {
                        inRange.add(id);
                    }
                }
            }
        }
        return rejected;
    }

    private Map<String, Recommendation> readPublished() {
        Map<String, Recommendation> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = assignAll(consumer, Topics.RECOMMENDATIONS);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!caughtUp(consumer, end, partitions)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        Recommendation rec = EventJson.decodeRecommendation(r.value());
                        latest.put(rec.sweepId(), rec);
                    } catch (InvalidEventException e) {
                        System.err.println("replay: skipping unreadable recommendation at offset "
                                + r.offset() + ": " + e.getMessage());
                    }
                }
            }
        }
        return latest;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assignAll(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end,
            List<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
