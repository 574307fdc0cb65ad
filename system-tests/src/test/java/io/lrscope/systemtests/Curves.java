package io.lrscope.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.lrscope.events.EventJson;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic sweeps built from the analyzer's curve fixtures (the same curves as
 * {@code ../shared/testdata}, with their worked-out answers in {@code *.expected.json}): one
 * SweepStarted planning exactly the curve's steps, one StepObserved per row, one SweepEnded.
 * Wall times are fixed, so two runs of the same curve are the same bytes.
 */
final class Curves {

    private Curves() {}

    static Path dir() {
        return Path.of(System.getProperty("lrscope.repo.root", ".."))
                .resolve("analyzer/src/test/resources/curves");
    }

    /** The rows of {@code NAME.csv}: step, lr, loss ("nan" reads as NaN). */
    static List<double[]> rows(String name) {
        try {
            List<double[]> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(dir().resolve(name + ".csv"));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",");
                rows.add(new double[] {Long.parseLong(c[0].trim()), number(c[1]), number(c[2])});
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode expected(String name) {
        try {
            return EventJson.MAPPER.readTree(dir().resolve(name + ".expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole sweep, in publishing order. */
    static List<SweepEvent> sweep(String sweepId, String curve) {
        List<double[]> rows = rows(curve);
        List<SweepEvent> events = new ArrayList<>();
        events.add(SweepStarted.of(sweepId, 0, config(curve, rows), 1_000L));
        long lastStep = 0;
        for (double[] row : rows) {
            lastStep = (long) row[0];
            events.add(StepObserved.of(sweepId, 0, lastStep, row[1], row[2], 2_000L + lastStep));
        }
        events.add(SweepEnded.of(sweepId, 0, SweepEnded.Outcome.COMPLETED, "planned steps done",
                lastStep, 9_000L));
        return events;
    }

    private static SweepConfig config(String curve, List<double[]> rows) {
        return new SweepConfig("digits-mlp", "fixture:" + curve, "adamw", 32, 1, 1,
                "exponential", rows.get(0)[1], rows.get(rows.size() - 1)[1], rows.size(), 42L,
                "system-test", "fault test on " + curve);
    }

    private static double number(String text) {
        String t = text.trim();
        return t.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(t);
    }
}
