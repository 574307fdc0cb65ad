package io.lrscope.agent.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The bundled 8×8 handwritten digits (UCI optdigits test set, 1,797 images; see the README next
 * to {@code digits.csv.gz}), pixels scaled from 0..16 to 0..1.
 *
 * <p>The train/validation split uses its own fixed seed, not the sweep's: every sweep and every
 * accuracy check sees the same 359 validation images, so accuracies are comparable.
 */
public final class Digits {

    public static final String NAME = "uci-optdigits-8x8";
    public static final int PIXELS = 64;
    public static final int CLASSES = 10;
    public static final int EXAMPLES = 1797;
    /** Fraction of the examples held out for validation. */
    public static final double VALIDATION_FRACTION = 0.2;
    static final long SPLIT_SEED = 20_240_601L;
    private static final String RESOURCE = "/io/lrscope/agent/data/digits.csv.gz";

    /** The two halves of the split. */
    public record Split(Examples train, Examples validation) {}

    private static volatile Split split;

    private Digits() {}

    /** The fixed 80/20 split (1,437 training, 360 validation images), loaded once. */
    public static Split split() {
        Split result = split;
        if (result == null) {
            synchronized (Digits.class) {
                if (split == null) {
                    split = splitOf(load());
                }
                result = split;
            }
        }
        return result;
    }

    /** All 1,797 examples in file order. */
    public static Examples load() {
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("bug: resource " + RESOURCE + " is missing");
            }
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            in.readLine(); // header
            List<String> lines = new ArrayList<>(EXAMPLES);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            float[] x = new float[lines.size() * PIXELS];
            int[] y = new int[lines.size()];
            for (int row = 0; row < lines.size(); row++) {
                String[] cells = lines.get(row).split(",");
                if (cells.length != PIXELS + 1) {
                    throw new IllegalStateException(
                            "bug: " + RESOURCE + " row " + row + " has " + cells.length + " cells");
                }
                for (int p = 0; p < PIXELS; p++) {
                    x[row * PIXELS + p] = Integer.parseInt(cells[p]) / 16f;
                }
                y[row] = Integer.parseInt(cells[PIXELS]);
            }
            return new Examples(x, y, PIXELS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static Split splitOf(Examples all) {
        int[] order = permutation(all.size(), new SplittableRandom(SPLIT_SEED));
        int validation = (int) Math.round(all.size() * VALIDATION_FRACTION);
        int train = all.size() - validation;
        Examples shuffled = all.select(order);
        return new Split(shuffled.slice(0, train), shuffled.slice(train, all.size()));
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
