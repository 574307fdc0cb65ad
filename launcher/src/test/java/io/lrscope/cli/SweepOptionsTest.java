package io.lrscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's model, data, epoch and device flags, checked with --dry-run (no broker). */
class SweepOptionsTest {

    @TempDir
    Path dir;

    private Path table() throws IOException {
        List<String> lines = new ArrayList<>(List.of("x1,x2,kind"));
        for (int i = 0; i < 200; i++) {
            lines.add(String.format(Locale.ROOT, "%d,%.2f,%d", i, Math.sin(i), i % 2));
        }
        return Files.write(dir.resolve("t.csv"), lines);
    }

    @Test
    void dryRunResolvesACsvClassificationAndDerivesStepsFromOneEpoch() throws IOException {
        Cli cli = Cli.run("sweep", "--dry-run", "--data", table().toString(), "--label-column",
                "kind", "--batch-size", "16", "--grad-accum", "2", "--epochs", "1");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.lastOutLine()).contains("\"model\":\"mlp\"", "\"labelColumn\":\"kind\"",
                "\"epochs\":1", "\"steps\":5", "\"devices\":1", "\"effectiveBatch\":32",
                "\"task\":\"classes\"", "\"publishedModel\":\"mlp-2-16-2\"",
                "\"trainingRows\":160", "\"validationRows\":40");
    }

    @Test
    void dryRunOfTheCharLmUsesTheBundledSample() {
        Cli cli = Cli.run("sweep", "--dry-run", "--model", "char-lm", "--sequence-length", "32");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.lastOutLine()).contains("\"task\":\"next_token\"",
                "\"dataset\":\"jargon-file-4.4.7-sample\"", "\"sequenceLength\":32");
    }

    @Test
    void missingFileBadColumnAndBadLrsAreOneLineErrors() throws IOException {
        Path csv = table();

        assertThat(Cli.run("sweep", "--dry-run", "--data", dir.resolve("no.csv").toString(),
                "--label-column", "y").err().strip())
                .isEqualTo("sweep: data=" + dir.resolve("no.csv") + ": no such file");
        assertThat(Cli.run("sweep", "--dry-run", "--data", csv.toString(), "--label-column",
                "price").err().strip()).isEqualTo("sweep: labelColumn=price: not a column of "
                        + "t.csv (columns: x1, x2, kind)");
        assertThat(Cli.run("sweep", "--dry-run", "--start-lr", "1e-2", "--end-lr", "1e-3")
                .err().strip()).isEqualTo("sweep: endLr=0.001: must be greater than "
                        + "startLr=0.01");
        Cli negative = Cli.run("sweep", "--dry-run", "--start-lr", "-1e-3");
        assertThat(negative.exitCode()).isEqualTo(1);
        assertThat(negative.err().strip())
                .isEqualTo("sweep: startLr=-0.001: must be a finite number > 0");
        assertThat(Cli.run("sweep", "--dry-run", "--text", dir.resolve("no.txt").toString())
                .err().strip()).isEqualTo("sweep: text=" + dir.resolve("no.txt")
                        + ": no such file");
    }

    @Test
    void stepsAndEpochsTogetherAndTooManyDevicesAreRejected() {
        assertThat(Cli.run("sweep", "--dry-run", "--steps", "50", "--epochs", "1").err().strip())
                .isEqualTo("sweep: epochs=1: give either --steps or --epochs, not both "
                        + "(steps=50)");
        String devices = Cli.run("sweep", "--dry-run", "--devices", "64").err().strip();
        // the engine logs its start first; the error is the last line
        assertThat(devices.substring(devices.lastIndexOf('\n') + 1))
                .startsWith("sweep: devices=64: must be in 1..");
        assertThat(Cli.run("sweep", "--dry-run", "--devices", "two").err().strip())
                .isEqualTo("sweep: devices=two: must be a number >= 1 or auto");
    }

    @Test
    void stepsPerRecordIsResolvedByDryRunAndZeroIsAOneLineError() {
        Cli cli = Cli.run("sweep", "--dry-run", "--steps-per-record", "1");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.lastOutLine()).contains("\"stepsPerRecord\":1", "\"recordDelayMillis\":50");
        assertThat(Cli.run("sweep", "--dry-run").lastOutLine()).contains("\"stepsPerRecord\":16");
        assertThat(Cli.run("sweep", "--dry-run", "--steps-per-record", "0").err().strip())
                .isEqualTo("sweep: stepsPerRecord=0: must be in 1..10000");
    }

    @Test
    void anotherLrScheduleCannotBeAttachedToASweep() {
        // Field case 18: the ramp is the sweep's only schedule; a schedule flag is refused
        // before anything runs.
        Cli cli = Cli.run("sweep", "--dry-run", "--lr-scheduler", "cosine");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("Unknown option").contains("--lr-scheduler");
    }
}
