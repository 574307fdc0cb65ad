package io.lrscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir Path dir;

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void analyzePrintsOneJsonRecommendationLine() throws Exception {
        Path csv = Path.of(Objects.requireNonNull(
                getClass().getResource("/u-shaped-clean.csv")).toURI());

        Cli cli = Cli.run("analyze", csv.toString());

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.outLines()).hasSize(1);
        Recommendation r = EventJson.decodeRecommendation(
                cli.out().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo("final");
        assertThat(r.pickLr()).isEqualTo(0.0002848035868435801);
        assertThat(r.steepestLr()).isEqualTo(0.00010974987654930564);
        assertThat(r.divergedAtStep()).isEqualTo(70L);
    }

    @Test
    void analyzeRejectsAFileWithoutHeaderNamingTheLine() throws Exception {
        Cli cli = Cli.run("analyze", file("no-header.csv", "0,1e-5,2.3\n1,1e-4,2.2\n").toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err().strip()).isEqualTo(
                "analyze: line 1: header='0,1e-5,2.3': missing column 'step' "
                        + "(need step,lr,loss; rank optional)");
    }

    @Test
    void analyzeRejectsNonNumericLrNamingLineAndField() throws Exception {
        Cli cli = Cli.run("analyze",
                file("bad-lr.csv", "step,lr,loss\n0,1e-5,2.3\n1,abc,2.2\n").toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err().strip()).isEqualTo("analyze: line 3: lr='abc': not a number");
    }

    @Test
    void analyzeRejectsNonPositiveLr() throws Exception {
        Cli cli = Cli.run("analyze",
                file("zero-lr.csv", "step,lr,loss\n0,0,2.3\n1,1e-4,2.2\n").toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err().strip())
                .isEqualTo("analyze: line 2: lr=0: must be a finite number > 0");
    }

    @Test
    void analyzeNamesAMissingFile() {
        Cli cli = Cli.run("analyze", dir.resolve("nope.csv").toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).contains("FILE=").contains("nope.csv: no such file");
        assertThat(cli.err().lines()).hasSize(1);
    }

    @Test
    void badOptionValueIsOneLineNamingTheOption() {
        Cli cli = Cli.run("scale", "--lr", "x", "--from-batch", "32", "--to-batch", "128");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err().lines()).hasSize(1);
        assertThat(cli.err()).contains("--lr").contains("'x'");
    }

    @Test
    void scaleAppliesLinearAndSquareRootRules() {
        Cli linear = Cli.run("scale", "--lr", "2e-5", "--from-batch", "32", "--to-batch", "128");
        Cli sqrt = Cli.run("scale", "--lr", "2e-5", "--from-batch", "32", "--to-batch", "128",
                "--rule", "sqrt");

        assertThat(linear.out()).startsWith("8.000e-05");
        assertThat(sqrt.out()).startsWith("4.000e-05");
        assertThat(Cli.run("scale", "--lr", "2e-5", "--from-batch", "32", "--to-batch", "64",
                "--rule", "cubic").err().strip())
                .isEqualTo("scale: rule=cubic: must be linear or sqrt");
    }

    @Test
    void defaultsKnowsLlama33WithItsSource() {
        Cli cli = Cli.run("defaults", "Llama-3.3-70B-Instruct");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("lr=2.0e-05").contains("torchtune")
                .contains("70B_full.yaml");
        assertThat(Cli.run("defaults", "resnet50").exitCode()).isEqualTo(1);
    }
}
