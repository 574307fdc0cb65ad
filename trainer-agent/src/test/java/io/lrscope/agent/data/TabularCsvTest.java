package io.lrscope.agent.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularCsvTest {

    @TempDir
    Path dir;

    @Test
    void integerLabelWithFewValuesIsAClassificationWithClassesInSortedOrder() throws IOException {
        TabularCsv.Table table = TabularCsv.load(SampleTables.blobs(dir, 300), "species");

        assertThat(table.kind()).isEqualTo(TabularCsv.Kind.CLASSIFICATION);
        assertThat(table.classLabels()).containsExactly("1", "2", "5");
        assertThat(table.featureColumns()).containsExactly("a", "b", "c", "d");
        assertThat(table.skippedColumns()).containsExactly("name");
        assertThat(table.trainRows()).isEqualTo(240);
        assertThat(table.validationRows()).isEqualTo(60);
        assertThat(table.trainTargets()).containsOnly(0f, 1f, 2f);
    }

    @Test
    void featuresAreStandardisedWithTrainingStatisticsOnly() throws IOException {
        TabularCsv.Table table = TabularCsv.load(SampleTables.blobs(dir, 300), "species");

        for (int f = 0; f < table.width(); f++) {
            double sum = 0;
            double squares = 0;
            for (int r = 0; r < table.trainRows(); r++) {
                double v = table.trainFeatures()[r * table.width() + f];
                sum += v;
                squares += v * v;
            }
            double mean = sum / table.trainRows();
            assertThat(mean).as("mean of feature %d", f).isCloseTo(0, within(1e-5));
            assertThat(squares / table.trainRows() - mean * mean).isCloseTo(1, within(1e-4));
        }
        // the 1000× column lands on the same scale as the others in validation too
        float maxAbs = 0;
        for (int r = 0; r < table.validationRows(); r++) {
            maxAbs = Math.max(maxAbs, Math.abs(table.validationFeatures()[r * 4 + 3]));
        }
        assertThat(maxAbs).isLessThan(5f);
    }

    @Test
    void splitIsTheSameOnEveryLoad() throws IOException {
        Path file = SampleTables.blobs(dir, 300);
        TabularCsv.Table first = TabularCsv.load(file, "species");
        Path copy = Files.copy(file, dir.resolve("copy.csv"));

        assertThat(TabularCsv.load(copy, "species").validationTargets())
                .containsExactly(first.validationTargets());
    }

    @Test
    void fractionalLabelIsARegressionKeepingItsScale() throws IOException {
        TabularCsv.Table table = TabularCsv.load(SampleTables.linear(dir), "y");

        assertThat(table.kind()).isEqualTo(TabularCsv.Kind.REGRESSION);
        assertThat(table.classes()).isZero();
        float max = 0;
        for (float y : table.trainTargets()) {
            max = Math.max(max, Math.abs(y));
        }
        assertThat(max).isGreaterThan(5f);
    }

    @Test
    void missingFileAndUnknownColumnAreOneLineErrorsNamingThem() throws IOException {
        Path file = SampleTables.linear(dir);

        assertThatThrownBy(() -> TabularCsv.load(dir.resolve("nope.csv"), "y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data=" + dir.resolve("nope.csv") + ": no such file");
        assertThatThrownBy(() -> TabularCsv.load(file, "price"))
                .hasMessage("labelColumn=price: not a column of linear.csv (columns: x1, x2, y)");
        assertThatThrownBy(() -> TabularCsv.load(file, null))
                .hasMessageStartingWith("labelColumn=null: required with --data");
    }

    @Test
    void badCellsAreReportedWithLineAndColumn() throws IOException {
        Path file = Files.write(dir.resolve("bad.csv"),
                List.of("x,y", "1,0", "2,1", "oops,0", "4,1"));
        Path ragged = Files.write(dir.resolve("ragged.csv"), List.of("x,y", "1,0", "2"));

        assertThatThrownBy(() -> TabularCsv.load(file, "y"))
                .hasMessage("data=bad.csv line 4 column x: 'oops' is not a number");
        assertThatThrownBy(() -> TabularCsv.load(ragged, "y"))
                .hasMessage("data=ragged.csv line 3: has 1 cells, the header has 2");
    }

    @Test
    void quotedCellsMayHoldCommas() {
        assertThat(TabularCsv.cells("1,\"a, b\",\"say \"\"hi\"\"\",2"))
                .containsExactly("1", "a, b", "say \"hi\"", "2");
    }
}
