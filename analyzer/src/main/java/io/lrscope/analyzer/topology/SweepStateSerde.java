package io.lrscope.analyzer.topology;

import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.analyzer.confirm.ConfirmRuns;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.EventJson;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of {@link SweepState}: the config as JSON, counters and flags as raw
 * numbers, then rows of (rank, step, lr, loss). The {@code sweep-state} store keeps headers
 * only (zero rows): the points live one per entry in {@code sweep-points} (see
 * {@link SweepStore}). A stored state that still carries rows, as earlier builds wrote it, is
 * read whole and moved to the points store on first load.
 */
final class SweepStateSerde implements Serde<SweepState> {

    private static final byte FORMAT = 1;

    @Override
    public Serializer<SweepState> serializer() {
        return (topic, state) -> state == null ? null : writeHeader(state);
    }

    @Override
    public Deserializer<SweepState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    /** The whole state, points included. */
    static byte[] write(SweepState state) {
        return write(state, state.curve.rows());
    }

    /** The state without its points, as the {@code sweep-state} store keeps it. */
    static byte[] writeHeader(SweepState state) {
        return write(state, List.of());
    }

    private static byte[] write(SweepState state, List<double[]> rows) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + rows.size() * 28);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeByte(FORMAT);
            writeBytes(out, state.configJson());
            out.writeInt(state.curve.duplicates());
            Long conflict = state.curve.lrConflictStep();
            out.writeLong(conflict == null ? -1 : conflict);
            int[] ranks = state.curve.ranksSeen();
            out.writeInt(ranks.length);
            for (int rank : ranks) {
                out.writeInt(rank);
            }
            out.writeInt(rows.size());
            for (double[] row : rows) {
                out.writeInt((int) row[0]);
                out.writeLong((long) row[1]);
                out.writeDouble(row[2]);
                out.writeDouble(row[3]);
            }
            out.writeInt(state.endedRanks.size());
            for (int rank : state.endedRanks) {
                out.writeInt(rank);
            }
            writeString(out, state.endedBy);
            out.writeBoolean(state.stopSent);
            out.writeBoolean(state.finalSent);
            out.writeLong(state.lastEventMillis);
            out.writeInt(state.lastEmittedPoints);
            writeString(out, state.lastEmittedSignature);
            out.writeDouble(state.lastEmittedPickLr);
            out.writeDouble(state.lastEmittedSteepestLr);
            // since confirm runs: their starts and ends as JSON, then whether the ranking went out
            List<ConfirmStarted> starts = state.confirmRuns.starts();
            List<ConfirmEnded> ends = state.confirmRuns.ends();
            out.writeInt(starts.size() + ends.size());
            for (ConfirmEvent event : starts) {
                writeBytes(out, EventJson.encode(event));
            }
            for (ConfirmEvent event : ends) {
                writeBytes(out, EventJson.encode(event));
            }
            out.writeBoolean(state.confirmationSent);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SweepState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("bug: unknown sweep state format " + format);
            }
            SweepState state = new SweepState();
            byte[] config = readBytes(in);
            state.config = config == null
                    ? null : EventJson.MAPPER.readValue(config, SweepConfig.class);
            int duplicates = in.readInt();
            long conflict = in.readLong();
            int[] ranks = new int[in.readInt()];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = in.readInt();
            }
            int rowCount = in.readInt();
            List<double[]> rows = new ArrayList<>(rowCount);
            for (int i = 0; i < rowCount; i++) {
                rows.add(new double[] {in.readInt(), in.readLong(), in.readDouble(),
                    in.readDouble()});
            }
            state.curve = SweepCurve.restore(
                    rows, duplicates, conflict < 0 ? null : conflict, ranks);
            int ended = in.readInt();
            for (int i = 0; i < ended; i++) {
                state.endedRanks.add(in.readInt());
            }
            state.endedBy = readString(in);
            state.stopSent = in.readBoolean();
            state.finalSent = in.readBoolean();
            state.lastEventMillis = in.readLong();
            state.lastEmittedPoints = in.readInt();
            state.lastEmittedSignature = readString(in);
            if (in.available() >= 16) {
                state.lastEmittedPickLr = in.readDouble();
                state.lastEmittedSteepestLr = in.readDouble();
            }
            if (in.available() >= 4) {
                int records = in.readInt();
                List<ConfirmStarted> starts = new ArrayList<>();
                List<ConfirmEnded> ends = new ArrayList<>();
                for (int i = 0; i < records; i++) {
                    SweepEvent event = EventJson.decodeEvent(readBytes(in));
                    if (event instanceof ConfirmStarted start) {
                        starts.add(start);
                    } else if (event instanceof ConfirmEnded end) {
                        ends.add(end);
                    }
                }
                state.confirmRuns = ConfirmRuns.of(starts, ends);
                state.confirmationSent = in.readBoolean();
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
