package io.lrscope.analyzer.curve;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The curves with worked-out answers, shipped as test resources under {@code curves/}. */
public final class TestCurves {

    public static final List<String> NAMES = List.of(
            "early-spike", "flat-no-descent", "linear-ramp", "nan-mid", "never-diverges",
            "out-of-order-with-duplicates", "spike-after-burn-in", "too-few-points",
            "two-ranks", "u-shaped-clean", "u-shaped-noisy");

    private TestCurves() {}

    public static String text(String resource) {
        try (InputStream in = TestCurves.class.getResourceAsStream("/curves/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test curve " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SweepCurve curve(String name) {
        try {
            return CurveCsv.read(new StringReader(text(name + ".csv")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InputStreamReader reader(String resource) {
        return new InputStreamReader(
                TestCurves.class.getResourceAsStream("/curves/" + resource),
                StandardCharsets.UTF_8);
    }
}
