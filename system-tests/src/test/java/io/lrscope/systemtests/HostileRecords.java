package io.lrscope.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Records no valid agent writes, each with the kind of damage it carries: not JSON, 1 MB strings,
 * NaN/Inf/negative learning rates, unknown types, newer schema versions, keys that do not match,
 * nulls, huge arrays. Some aim at real sweeps (their key or sweepId), so that accepting one
 * would visibly change a real recommendation. Seeded: the same list every run.
 */
final class HostileRecords {

    /** One hostile record; {@code key} or {@code value} may be null. */
    record Hostile(String kind, byte[] key, byte[] value) {}

    private static final int ONE_MB = 1_000_000;

    private final List<String> realSweeps;
    private final Random random = new Random(6);

    HostileRecords(List<String> realSweeps) {
        this.realSweeps = realSweeps;
    }

    /** {@code count} records; the heavy kinds (1 MB, huge arrays) are every 250th. */
    List<Hostile> generate(int count) {
        List<IntFunction<Hostile>> light = lightKinds();
        List<IntFunction<Hostile>> heavy = heavyKinds();
        List<Hostile> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(i % 250 == 125
                    ? heavy.get((i / 250) % heavy.size()).apply(i)
                    : light.get(i % light.size()).apply(i));
        }
        return out;
    }

    private String real(int i) {
        return realSweeps.get(i % realSweeps.size());
    }

    /** A valid-looking step body; {@code step} far beyond the real curves. */
    private static String step(String sweepId, String lr, long step) {
        return "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"" + sweepId
                + "\",\"rank\":0,\"step\":" + step + ",\"lr\":" + lr
                + ",\"loss\":0.01,\"wallMillis\":5}";
    }

    private static String stepWith(String sweepId, String field, String value) {
        return step(sweepId, "0.1", 7).replace("\"" + field + "\":", "\"" + field + "\":"
                + value + ",\"_was\":");
    }

    private List<IntFunction<Hostile>> lightKinds() {
        List<IntFunction<Hostile>> kinds = new ArrayList<>();
        kinds.add(i -> h("truncated-json", real(i),
                "{\"type\":\"StepObserved\",\"sweepId\":\"" + real(i)));
        kinds.add(i -> {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            return new Hostile("binary-garbage", utf8(real(i)), garbage);
        });
        kinds.add(i -> new Hostile("empty-value", utf8(real(i)), new byte[0]));
        kinds.add(i -> new Hostile("null-value", utf8(real(i)), null));
        kinds.add(i -> h("json-null", real(i), "null"));
        kinds.add(i -> h("json-scalar", real(i), i % 2 == 0 ? "42" : "\"hello\""));
        kinds.add(i -> h("json-empty-array", real(i), "[]"));
        kinds.add(i -> h("nan-lr", real(i), step(real(i), "NaN", 100_000 + i)));
        kinds.add(i -> h("infinite-lr", real(i), step(real(i), "\"Infinity\"", 100_000 + i)));
        kinds.add(i -> h("negative-lr", real(i), step(real(i), "-0.001", 100_000 + i)));
        kinds.add(i -> h("zero-lr", real(i), step(real(i), "0", 100_000 + i)));
        kinds.add(i -> h("overflowing-lr", real(i), step(real(i), "1e400", 100_000 + i)));
        kinds.add(i -> h("lr-not-a-number", real(i), step(real(i), "\"abc\"", 100_000 + i)));
        kinds.add(i -> h("unknown-type", real(i), step(real(i), "0.1", 100_000 + i)
                .replace("StepObserved", i % 2 == 0 ? "StepObserved2" : "DropTables")));
        kinds.add(i -> h("missing-type", real(i), step(real(i), "0.1", 100_000 + i)
                .replace("\"type\":\"StepObserved\",", "")));
        kinds.add(i -> h("newer-schema", real(i), step(real(i), "0.1", 100_000 + i)
                .replace("\"schemaVersion\":1", "\"schemaVersion\":" + (2 + i % 98))));
        kinds.add(i -> h("schema-zero", real(i), step(real(i), "0.1", 100_000 + i)
                .replace("\"schemaVersion\":1", "\"schemaVersion\":0")));
        kinds.add(i -> h("key-not-sweepId", "not-" + real(i), step(real(i), "0.1", 100_000 + i)));
        kinds.add(i -> new Hostile("null-key", null, utf8(step(real(i), "0.1", 100_000 + i))));
        kinds.add(i -> new Hostile("key-not-utf8", new byte[] {(byte) 0xff, (byte) 0xfe, 0x41},
                utf8(step(real(i), "0.1", 100_000 + i))));
        kinds.add(i -> h("null-sweepId", real(i), step(real(i), "0.1", 7)
                .replace("\"sweepId\":\"" + real(i) + "\"", "\"sweepId\":null")));
        kinds.add(i -> h("null-lr", real(i), stepWith(real(i), "lr", "null")));
        kinds.add(i -> h("null-step", real(i), stepWith(real(i), "step", "null")));
        kinds.add(i -> h("missing-loss", real(i), step(real(i), "0.1", 7)
                .replace(",\"loss\":0.01", "")));
        kinds.add(i -> h("negative-step", real(i), step(real(i), "0.1", -1 - i)));
        kinds.add(i -> h("negative-rank", real(i), step(real(i), "0.1", 7)
                .replace("\"rank\":0", "\"rank\":-1")));
        kinds.add(i -> h("object-for-number", real(i), stepWith(real(i), "loss", "{\"x\":1}")));
        kinds.add(i -> h("control-chars-in-id", "evil\u0001id", step("evil\u0001id", "0.1", 7)));
        kinds.add(i -> {
            String id = "x".repeat(129);
            return h("id-too-long", id, step(id, "0.1", 7));
        });
        kinds.add(i -> h("bad-outcome", real(i), ended(real(i), "\"exploded\"")));
        kinds.add(i -> h("null-outcome", real(i), ended(real(i), "null")));
        kinds.add(i -> h("number-for-enum", real(i), ended(real(i), "1")));
        kinds.add(i -> h("null-config", real(i), started(real(i), "null")));
        kinds.add(i -> h("end-lr-below-start", real(i),
                started(real(i), config(1, "1e-1", "1e-7"))));
        kinds.add(i -> h("rank-beyond-dp-degree", real(i), started(real(i), config(1, "1e-7", "1"))
                .replace("\"rank\":0", "\"rank\":3")));
        kinds.add(i -> h("zero-dp-degree", real(i), started(real(i), config(0, "1e-7", "1"))));
        kinds.add(i -> h("deep-nesting", real(i), "[".repeat(5_000)));
        kinds.add(i -> h("huge-number", real(i), step(real(i), "1" + "0".repeat(5_000), 7)));
        return kinds;
    }

    private List<IntFunction<Hostile>> heavyKinds() {
        List<IntFunction<Hostile>> kinds = new ArrayList<>();
        kinds.add(i -> {
            String id = "s".repeat(ONE_MB);
            return h("1mb-sweepId", real(i), step(id, "0.1", 7));
        });
        kinds.add(i -> h("1mb-label", real(i), started(real(i), config(1, "1e-7", "1")
                .replace("\"label\":\"\"", "\"label\":\"" + "L".repeat(ONE_MB) + "\""))));
        kinds.add(i -> h("1mb-type", real(i), step(real(i), "0.1", 7)
                .replace("\"StepObserved\"", "\"" + "T".repeat(ONE_MB) + "\"")));
        kinds.add(i -> h("1mb-reason", real(i), ended(real(i), "\"completed\"")
                .replace("\"reason\":\"done\"", "\"reason\":\"" + "R".repeat(ONE_MB) + "\"")));
        kinds.add(i -> h("huge-array-lr", real(i), stepWith(real(i), "lr",
                "[" + "0.1,".repeat(100_000) + "0.1]")));
        kinds.add(i -> h("huge-top-level-array", real(i), "[" + "1,".repeat(200_000) + "1]"));
        return kinds;
    }

    private static String ended(String sweepId, String outcome) {
        return "{\"type\":\"SweepEnded\",\"schemaVersion\":1,\"sweepId\":\"" + sweepId
                + "\",\"rank\":0,\"outcome\":" + outcome
                + ",\"reason\":\"done\",\"lastStep\":3,\"wallMillis\":5}";
    }

    private static String started(String sweepId, String config) {
        return "{\"type\":\"SweepStarted\",\"schemaVersion\":1,\"sweepId\":\"" + sweepId
                + "\",\"rank\":0,\"config\":" + config + ",\"wallMillis\":5}";
    }

    private static String config(int dpDegree, String startLr, String endLr) {
        return "{\"model\":\"m\",\"dataset\":\"d\",\"optimizer\":\"sgd\",\"batchSize\":32,"
                + "\"dpDegree\":" + dpDegree + ",\"gradAccum\":1,\"ramp\":\"exponential\","
                + "\"startLr\":" + startLr + ",\"endLr\":" + endLr + ",\"steps\":10,"
                + "\"seed\":1,\"host\":\"h\",\"label\":\"\"}";
    }

    private static Hostile h(String kind, String key, String value) {
        return new Hostile(kind, utf8(key), utf8(value));
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
