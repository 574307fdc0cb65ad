package io.lrscope.agent.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lrscope.agent.model.DjlRuntime;
import io.lrscope.agent.model.Mlp;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's optimizers against torch.optim: same tiny MLP, same start weights, same batches,
 * a new LR every step; {@code torch-optimizers.json} is what PyTorch produced
 * ({@code tools/make_optimizer_fixture.py}). Every step's loss and every weight after every
 * step must agree.
 */
class OptimizerMatchesPytorchTest {

    /** Relative tolerance, plus a small absolute floor for weights that pass near zero. */
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    private static JsonNode fixture;

    @BeforeAll
    static void loadFixture() throws IOException {
        DjlRuntime.configure();
        try (InputStream in = OptimizerMatchesPytorchTest.class.getResourceAsStream(
                "torch-optimizers.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "adamw"})
    void lossesAndWeightsMatchPytorchStepByStepUnderARampedLr(String name) {
        JsonNode testCase = caseNamed(name);
        int inputs = fixture.get("inputs").asInt();
        try (NDManager manager = NDManager.newBaseManager()) {
            Mlp model = Mlp.create(manager, inputs, fixture.get("hidden").asInt(),
                    fixture.get("classes").asInt(), 0);
            model.load(weights(fixture.get("initialWeights")));
            Optimizer optimizer = Optimizer.create(name, testCase.get("momentum").asDouble(),
                    testCase.get("weightDecay").asDouble(), model.parameters(), manager);

            JsonNode batches = fixture.get("batches");
            for (int step = 0; step < batches.size(); step++) {
                double lr = testCase.get("lrs").get(step).asDouble();
                double loss;
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector =
                                Engine.getInstance().newGradientCollector()) {
                    JsonNode batch = batches.get(step);
                    NDArray x = scope.create(floats(batch.get("x")),
                            new Shape(batch.get("y").size(), inputs));
                    NDArray y = scope.create(longs(batch.get("y")));
                    NDArray lossArray = model.loss(x, y);
                    collector.backward(lossArray);
                    loss = lossArray.getFloat();
                }
                optimizer.step(lr);

                double expectedLoss = testCase.get("losses").get(step).asDouble();
                assertThat(loss).as("%s loss of step %d", name, step)
                        .isCloseTo(expectedLoss, tolerance(expectedLoss));
                Map<String, float[]> expected =
                        weights(testCase.get("weightsAfterStep").get(step));
                Map<String, float[]> actual = model.weights();
                for (String tensor : Mlp.NAMES) {
                    float[] want = expected.get(tensor);
                    float[] got = actual.get(tensor);
                    for (int i = 0; i < want.length; i++) {
                        assertThat((double) got[i])
                                .as("%s %s[%d] after step %d", name, tensor, i, step)
                                .isCloseTo(want[i], tolerance(want[i]));
                    }
                }
            }
            assertThat(optimizer.steps()).isEqualTo(batches.size());
        }
    }

    private static org.assertj.core.data.Offset<Double> tolerance(double expected) {
        return org.assertj.core.data.Offset.offset(RELATIVE * Math.abs(expected) + ABSOLUTE);
    }

    private static JsonNode caseNamed(String name) {
        for (JsonNode c : fixture.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("fixture has no case " + name);
    }

    private static Map<String, float[]> weights(JsonNode node) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> weights.put(e.getKey(), floats(e.getValue())));
        return weights;
    }

    /** Flattens a number array or an array of number arrays, row-major. */
    private static float[] floats(JsonNode node) {
        int count = 0;
        for (JsonNode item : node) {
            count += item.isArray() ? item.size() : 1;
        }
        float[] values = new float[count];
        int i = 0;
        for (JsonNode item : node) {
            if (item.isArray()) {
                for (JsonNode v : item) {
                    values[i++] = (float) v.asDouble();
                }
            } else {
                values[i++] = (float) item.asDouble();
            }
        }
        return values;
    }

    private static long[] longs(JsonNode node) {
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = node.get(i).asLong();
        }
        return values;
    }
}
