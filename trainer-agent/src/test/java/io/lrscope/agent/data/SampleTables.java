package io.lrscope.agent.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Small seeded CSV tables for tests: a classification and a regression. */
public final class SampleTables {

    private SampleTables() {}

    /** Three Gaussian blobs in 4 features (one of them on a 1000× scale), classes 1, 2, 5. */
    public static Path blobs(Path dir, int rows) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        List<String> lines = new ArrayList<>(List.of("a,b,name,c,d,species"));
        int[] classes = {1, 2, 5};
        for (int i = 0; i < rows; i++) {
            int k = i % 3;
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,row%d,%.4f,%.1f,%d",
                    k + random.nextGaussian() * 0.6, -k + random.nextGaussian() * 0.6, i,
                    random.nextGaussian(), 1000 * (k + random.nextGaussian() * 0.6),
                    classes[k]));
        }
        return Files.write(dir.resolve("blobs.csv"), lines);
    }

    /** y = 3·x1 − 2·x2 + 0.1·noise, 400 rows. */
    public static Path linear(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        List<String> lines = new ArrayList<>(List.of("x1,x2,y"));
        for (int i = 0; i < 400; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            lines.add(String.format(Locale.ROOT, "%.5f,%.5f,%.5f", x1, x2,
                    3 * x1 - 2 * x2 + 0.1 * random.nextGaussian()));
        }
        return Files.write(dir.resolve("linear.csv"), lines);
    }

}
