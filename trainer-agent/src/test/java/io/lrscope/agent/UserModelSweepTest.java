package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrscope.agent.data.SampleTables;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepStarted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps of the models and data a user brings: a CSV table, a text, a TorchScript module. */
class UserModelSweepTest {

    static final Path TORCHSCRIPT_MLP = Path.of("src/test/resources/io/lrscope/agent/model/"
            + "mlp-64-16-10.pt");

    @TempDir
    Path dir;

    private final SweepSettings adamw = SweepSettings.defaults().withSweepId("user-model")
            .withOptimizer("adamw", 0, 0.01);

    @Test
    void csvClassificationSweepFallsThenBlowsUp() throws IOException {
        Path csv = SampleTables.blobs(dir, 600);
        SweepSettings settings = adamw.withModel("mlp", csv.toString(), "species", null, 64)
                .withRamp("exponential", 1e-5, 30, 80);
        RecordingSink sink = new RecordingSink();

        SweepEnded ended = new SweepRunner(settings, sink).run();

        SweepConfig config = ((SweepStarted) sink.events.get(0)).config();
        assertThat(config.model()).isEqualTo("mlp-4-16-3");
        assertThat(config.dataset()).isEqualTo("blobs.csv");
        List<Double> losses = sink.steps().stream().map(StepObserved::loss).toList();
        double first = losses.get(0);
        double lowest = losses.stream().filter(Double::isFinite).min(Double::compare).orElseThrow();
        double last = losses.get(losses.size() - 1);
        assertThat(first).isBetween(0.9, 1.4); // about ln 3 before any learning
        assertThat(lowest).isLessThan(0.35);   // the blobs mostly separate at moderate LRs
        assertThat(!Double.isFinite(last) || last > 5 * lowest).as("last=%s", last).isTrue();
        assertThat(ended.outcome()).isIn(SweepEnded.Outcome.COMPLETED,
                SweepEnded.Outcome.STOPPED);
    }

    @Test
    void csvRegressionSweepMinimisesMeanSquaredError() throws IOException {
        Path csv = SampleTables.linear(dir);
        SweepSettings settings = adamw.withModel("mlp", csv.toString(), "y", null, 64)
                .withRamp("exponential", 1e-5, 10, 80);
        RecordingSink sink = new RecordingSink();

        new SweepRunner(settings, sink).run();

        assertThat(((SweepStarted) sink.events.get(0)).config().model()).isEqualTo("mlp-2-16-1");
        List<Double> losses = sink.steps().stream().map(StepObserved::loss).toList();
        assertThat(losses.get(0)).isBetween(5.0, 30.0); // the variance of 3·x1 − 2·x2 is 13
        assertThat(losses.stream().filter(Double::isFinite).min(Double::compare).orElseThrow())
                .isLessThan(1.0);
    }

    @Test
    void charLmSweepLossFallsAtModerateLrs() {
        SweepSettings settings = adamw.withModel("char-lm", null, null, null, 32)
                .withBatch(16, 1)
                .withRamp("exponential", 1e-4, 1, 60);
        RecordingSink sink = new RecordingSink();

        new SweepRunner(settings, sink).run();

        SweepConfig config = ((SweepStarted) sink.events.get(0)).config();
        assertThat(config.model()).isEqualTo("char-lm-lstm128");
        assertThat(config.dataset()).isEqualTo("jargon-file-4.4.7-sample");
        List<StepObserved> steps = sink.steps();
        double first = steps.get(0).loss();
        assertThat(first).isBetween(4.2, 4.9); // ln(vocabulary) before learning: ln 96 = 4.56
        double moderate = steps.stream().filter(s -> s.lr() > 3e-3 && s.lr() < 1e-1)
                .mapToDouble(StepObserved::loss).min().orElseThrow();
        assertThat(moderate).isLessThan(first - 1.0);
    }

    @Test
    void torchScriptModuleTrainsOnTheDigitsAndItsFileIsLeftAlone() throws Exception {
        String before = sha256(TORCHSCRIPT_MLP);
        SweepSettings settings = adamw.withModel("torchscript:" + TORCHSCRIPT_MLP, null, null,
                null, 64).withRamp("exponential", 1e-5, 1, 60);
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();

        new SweepRunner(settings, first).run();
        new SweepRunner(settings, second).run();

        assertThat(((SweepStarted) first.events.get(0)).config().model())
                .isEqualTo("torchscript-mlp-64-16-10.pt");
        List<Double> losses = first.steps().stream().map(StepObserved::loss).toList();
        assertThat(losses.stream().min(Double::compare).orElseThrow())
                .isLessThan(losses.get(0) - 1.0);
        // every sweep starts from the weights in the file: the same losses again
        assertThat(second.steps()).extracting(StepObserved::loss)
                .containsExactlyElementsOf(losses);
        assertThat(sha256(TORCHSCRIPT_MLP)).isEqualTo(before);
    }

    @Test
    void trainingAfterACsvSweepMatchesTrainingWithoutOne() throws IOException {
        SweepSettings csv = adamw.withModel("mlp", SampleTables.blobs(dir, 300).toString(),
                "species", null, 64);
        FixedLrTraining.Result before = FixedLrTraining.train(csv, 1e-2, 2);

        new SweepRunner(csv.withRamp("exponential", 1e-7, 100, 50), new RecordingSink()).run();
        FixedLrTraining.Result after = FixedLrTraining.train(csv, 1e-2, 2);

        assertThat(after.losses()).containsExactly(before.losses());
        assertThat(after.validationLoss()).isEqualTo(before.validationLoss());
        assertThat(after.validationAccuracy()).isGreaterThan(0.75); // chance is 1/3
    }

    @Test
    void oneEpochDerivesStepsFromTheRowsAndTheEffectiveBatch() throws IOException {
        SweepSettings csv = adamw.withModel("mlp", SampleTables.blobs(dir, 600).toString(),
                "species", null, 64).withBatch(16, 2);

        SweepSettings epoch = csv.withEpochs(1);

        assertThat(epoch.steps()).isEqualTo(480 / 32);
        assertThat(epoch.epochs()).isEqualTo(1);
        assertThat(csv.withEpochs(3).steps()).isEqualTo(3 * 15);
        assertThat(SweepSettings.defaults().withEpochs(1).steps()).isEqualTo(1438 / 32);
    }

    @Test
    void badModelAndDataSettingsAreOneLineErrorsBeforeAnyEvent() throws IOException {
        Path csv = SampleTables.linear(dir);
        RecordingSink sink = new RecordingSink();

        assertThatThrownBy(() -> new SweepRunner(adamw.withModel("resnet", null, null, null,
                64), sink)).hasMessage("model=resnet: must be digits-mlp, mlp, char-lm or "
                        + "torchscript:FILE");
        assertThatThrownBy(() -> adamw.withModel("mlp", null, null, null, 64).validate())
                .hasMessage("data=null: must be a CSV file for --model mlp");
        assertThatThrownBy(() -> adamw.withModel("digits-mlp", csv.toString(), "y", null, 64)
                .validate()).hasMessageStartingWith("data=" + csv + ": must be given only with");
        assertThatThrownBy(() -> adamw.withModel("mlp", csv.toString(), "price", null, 64)
                .validate()).hasMessageStartingWith("labelColumn=price: not a column");
        assertThatThrownBy(() -> adamw.withModel("mlp", dir.resolve("x.csv").toString(), "y",
                null, 64).validate()).hasMessage("data=" + dir.resolve("x.csv")
                        + ": no such file");
        assertThatThrownBy(() -> adamw.withModel("torchscript:/no/such.pt", null, null, null,
                64).validate()).hasMessage("model=torchscript:/no/such.pt: must be "
                        + "torchscript: followed by an existing file");
        assertThatThrownBy(() -> adamw.withModel("mlp", csv.toString(), "y", null, 64)
                .withBatch(400, 1).validate()).hasMessageStartingWith("batchSize=400: must be "
                        + "such that batchSize×devices×dpDegree×gradAccum <= 320 training");
        assertThatThrownBy(() -> adamw.withModel("char-lm", null, null, "t.txt", 1).validate())
                .hasMessage("sequenceLength=1: must be in 2..4096");
        assertThat(sink.events).isEmpty();
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
