package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.curve.SweepCurve;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One sweep's state spread over two changelogged stores, so that a record costs one small write
 * instead of a rewrite of the whole curve: the header ({@link SweepState} without its points:
 * config, counters, what was sent) in {@code sweep-state}, and the points each record added
 * (one for a StepObserved, up to all of a StepsObserved) as one entry in {@code sweep-points}.
 *
 * <p>An entry's key is the sweep id's UTF-8 bytes, a zero byte, then the rank and the first
 * step the record added (big endian): one sweep's points are one prefix range, and no two
 * entries share a key because a (rank, step) is added only once. Sweep ids cannot contain a
 * zero byte (control characters are rejected on decode). The value is (step, lr, loss) per
 * point, the lr being the step's (the one the curve analyses it with).
 */
final class SweepStore {

    private static final BytesSerializer PREFIX_SERIALIZER = new BytesSerializer();

    private final KeyValueStore<String, SweepState> headers;
    private final KeyValueStore<Bytes, byte[]> points;

    SweepStore(KeyValueStore<String, SweepState> headers, KeyValueStore<Bytes, byte[]> points) {
        this.headers = headers;
        this.points = points;
    }

    /** The sweep's header and curve, or null when nothing was stored for it. */
    SweepState load(String sweepId) {
        SweepState state = headers.get(sweepId);
        if (state == null) {
            return null;
        }
        withPoints(sweepId, state);
        return state;
    }

    /** Every sweep whose final recommendation has not been sent, with its curve. */
    void forEachRunning(BiConsumer<String, SweepState> action) {
        List<KeyValue<String, SweepState>> running = new ArrayList<>();
        try (KeyValueIterator<String, SweepState> all = headers.all()) {
            while (all.hasNext()) {
                KeyValue<String, SweepState> entry = all.next();
                if (!entry.value.finalSent) {
                    running.add(entry);
                }
            }
        }
        for (KeyValue<String, SweepState> entry : running) {
            withPoints(entry.key, entry.value);
            action.accept(entry.key, entry.value);
        }
    }

    /** Stores points a record added: {@code packed} holds (step, lr, loss) per point. */
    void putPoints(String sweepId, int rank, byte[] packed) {
        long firstStep = ByteBuffer.wrap(packed).getLong();
        points.put(Bytes.wrap(pointKey(sweepId, rank, firstStep)), packed);
    }

    void putHeader(String sweepId, SweepState state) {
        headers.put(sweepId, state);
    }

    private void withPoints(String sweepId, SweepState state) {
        if (state.curve.observations() > 0) {
            migrateWholeState(sweepId, state);
            return;
        }
        List<double[]> rows = new ArrayList<>();
        byte[] prefix = prefix(sweepId);
        try (KeyValueIterator<Bytes, byte[]> range =
                points.prefixScan(Bytes.wrap(prefix), PREFIX_SERIALIZER)) {
            while (range.hasNext()) {
                KeyValue<Bytes, byte[]> entry = range.next();
                int rank = ByteBuffer.wrap(entry.key.get(), prefix.length, 4).getInt();
                ByteBuffer value = ByteBuffer.wrap(entry.value);
                while (value.hasRemaining()) {
                    rows.add(new double[] {rank, value.getLong(), value.getDouble(),
                        value.getDouble()});
                }
            }
        }
        SweepCurve header = state.curve;
        state.curve = SweepCurve.restore(
                rows, header.duplicates(), header.lrConflictStep(), header.ranksSeen());
    }

    /** A state written whole (as earlier builds did) keeps its points in the header. */
    private void migrateWholeState(String sweepId, SweepState state) {
        for (double[] row : state.curve.rows()) {
            putPoints(sweepId, (int) row[0], ByteBuffer.allocate(24)
                    .putLong((long) row[1]).putDouble(row[2]).putDouble(row[3]).array());
        }
        putHeader(sweepId, state);
    }

    static byte[] pointKey(String sweepId, int rank, long step) {
        byte[] prefix = prefix(sweepId);
        return ByteBuffer.allocate(prefix.length + 12).put(prefix).putInt(rank).putLong(step)
                .array();
    }

    static byte[] prefix(String sweepId) {
        byte[] id = sweepId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[id.length + 1];
        System.arraycopy(id, 0, prefix, 0, id.length);
        return prefix;
    }
}
