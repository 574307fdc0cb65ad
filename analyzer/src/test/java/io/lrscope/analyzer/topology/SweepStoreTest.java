package io.lrscope.analyzer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.analyzer.curve.TestCurves;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class SweepStoreTest {

    private final MockProcessorContext<String, AnalyzerOutput> context =
            new MockProcessorContext<>();

    private <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(name), keys, values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    @Test
    void aWholeStateFromAnEarlierBuildLoadsAndMovesItsPointsToThePointsStore() {
        // an earlier build wrote the whole curve into the sweep-state entry
        Serde<SweepState> whole = Serdes.serdeFrom(
                (topic, state) -> SweepStateSerde.write(state),
                (topic, bytes) -> SweepStateSerde.read(bytes));
        KeyValueStore<String, SweepState> legacy = store("legacy", Serdes.String(), whole);
        KeyValueStore<Bytes, byte[]> points = store("points", Serdes.Bytes(), Serdes.ByteArray());
        SweepState old = new SweepState();
        old.curve = TestCurves.curve("two-ranks");
        legacy.put("s", old);

        SweepState loaded = new SweepStore(legacy, points).load("s");

        assertThat(loaded.curve.completePoints()).isEqualTo(old.curve.completePoints());
        KeyValueStore<String, SweepState> headers =
                store("headers", Serdes.String(), new SweepStateSerde());
        headers.put("s", loaded);
        SweepState fromPoints = new SweepStore(headers, points).load("s");
        assertThat(fromPoints.curve.completePoints()).isEqualTo(old.curve.completePoints());
        assertThat(fromPoints.curve.ranksSeen()).containsExactly(0, 1);
    }

    @Test
    void sweepIdsThatArePrefixesOfEachOtherKeepTheirOwnPoints() {
        KeyValueStore<String, SweepState> headers =
                store("headers", Serdes.String(), new SweepStateSerde());
        KeyValueStore<Bytes, byte[]> points = store("points", Serdes.Bytes(), Serdes.ByteArray());
        SweepStore sweeps = new SweepStore(headers, points);
        for (String id : new String[] {"a", "ab"}) {
            SweepState state = new SweepState();
            state.addStep(0, 1, 1e-3, id.length());
            headers.put(id, state);
            sweeps.putPoints(id, 0, java.nio.ByteBuffer.allocate(24).putLong(1)
                    .putDouble(1e-3).putDouble(id.length()).array());
        }

        assertThat(sweeps.load("a").curve.completePoints()).singleElement()
                .satisfies(p -> assertThat(p.loss()).isEqualTo(1.0));
        assertThat(sweeps.load("ab").curve.completePoints()).singleElement()
                .satisfies(p -> assertThat(p.loss()).isEqualTo(2.0));
    }
}
