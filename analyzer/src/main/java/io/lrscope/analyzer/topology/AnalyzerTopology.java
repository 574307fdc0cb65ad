package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.advice.RecommendationFactory;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.events.EventJson;
import io.lrscope.events.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The analyzer as a Kafka Streams topology, read top to bottom: raw events → decode (bad
 * records to dead letters) → per-sweep curve in two state stores → recommendations and stop
 * commands. Records are keyed by sweep id from the source on, so no repartition is needed.
 */
public final class AnalyzerTopology {

    /** Per sweep: config, counters and what was sent ({@link SweepState} without points). */
    public static final String STATE_STORE = "sweep-state";

    /** Per (sweep, rank, step): the observation, one small entry each ({@link SweepStore}). */
    public static final String POINTS_STORE = "sweep-points";

    private AnalyzerTopology() {}

    public static Topology build(
            CurveSettings curveSettings, AdviceSettings adviceSettings, Duration staleAfter) {
        CurveAnalyzer analyzer = new CurveAnalyzer(curveSettings);
        RecommendationFactory factory = new RecommendationFactory(curveSettings, adviceSettings);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), new SweepStateSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(POINTS_STORE),
                Serdes.Bytes(), Serdes.ByteArray()));

        Map<String, KStream<String, Decoded>> routes = builder
                .stream(Topics.SWEEP_EVENTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("sweep-events-source"))
                .process(DecodeProcessor::new, Named.as("decode"))
                .split(Named.as("route-"))
                .branch((sweepId, decoded) -> decoded.isValid(), Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));

        routes.get("route-invalid")
                .process(DeadLetterProcessor::new, Named.as("dead-letter-headers"))
                .to(Topics.DEAD_LETTERS, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("dead-letters-sink"));

        Map<String, KStream<String, AnalyzerOutput>> outputs = routes.get("route-valid")
                .process(() -> new SweepAnalysisProcessor(
                                STATE_STORE, POINTS_STORE, analyzer, factory, adviceSettings,
                                staleAfter),
                        Named.as("analyze-sweep"), STATE_STORE, POINTS_STORE)
                .split(Named.as("output-"))
                .branch((sweepId, out) -> out.stop() != null, Branched.as("stop"))
                .defaultBranch(Branched.as("recommendation"));

        outputs.get("output-stop")
                .mapValues(out -> EventJson.encode(out.stop()), Named.as("encode-stop"))
                .to(Topics.CONTROL, Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("control-sink"));
        outputs.get("output-recommendation")
                .mapValues(out -> EventJson.encode(out.recommendation()),
                        Named.as("encode-recommendation"))
                .to(Topics.RECOMMENDATIONS, Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("recommendations-sink"));

        return builder.build();
    }
}
