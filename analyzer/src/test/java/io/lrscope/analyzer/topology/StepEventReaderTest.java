package io.lrscope.analyzer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrscope.events.EventJson;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StepEventReaderTest {

    private static SweepEvent jackson(byte[] bytes) throws Exception {
        return EventJson.MAPPER.readValue(bytes, SweepEvent.class);
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsWhatAgentsWriteExactlyAsEventJsonDoes() throws Exception {
        Random random = new Random(3);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, 0.0, -0.0, 1.0, 1e-300,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2, 3.0000000000000004};
        for (int i = 0; i < 2000; i++) {
            double loss = i < specials.length ? specials[i]
                    : Math.exp(random.nextGaussian() * 5) * (random.nextBoolean() ? 1 : -1);
            double lr = Math.pow(10, -8 + 8 * random.nextDouble());
            StepObserved one = StepObserved.of("s-" + i, random.nextInt(8),
                    random.nextInt(100_000), lr, loss, random.nextLong());
            List<StepsObserved.Step> steps = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(12); k++) {
                steps.add(new StepsObserved.Step(k, lr * (k + 1), loss * k));
            }
            StepsObserved many = StepsObserved.of("b-" + i, 0, steps, i);

            for (SweepEvent event : List.of(one, many)) {
                byte[] bytes = EventJson.encode(event);
                SweepEvent read = StepEventReader.read(bytes);
                boolean nonFinite = event instanceof StepsObserved batch
                        ? batch.steps().stream().anyMatch(s -> !Double.isFinite(s.loss()))
                        : !Double.isFinite(loss);
                if (nonFinite) {
                    // non-finite losses travel as strings: EventJson's way
                    assertThat(read).isNull();
                } else {
                    assertThat(read).isEqualTo(jackson(bytes)).isEqualTo(event);
                }
            }
        }
    }

    @Test
    void fieldsInAnyOrderAndUnknownFieldsAreReadLikeEventJson() throws Exception {
        byte[] bytes = utf8("{\"type\":\"StepObserved\",\"loss\":2,\"lr\":1e-3,\"extra\":"
                + "{\"a\":[1,{\"b\":null}]},\"step\":7,\"rank\":1,\"sweepId\":\"x\","
                + "\"wallMillis\":5,\"schemaVersion\":1,\"more\":\"text\"}");

        assertThat(StepEventReader.read(bytes)).isEqualTo(jackson(bytes))
                .isEqualTo(StepObserved.of("x", 1, 7, 1e-3, 2.0, 5));
    }

    @Test
    void anythingNotInThePlainFormIsLeftToEventJson() {
        List<String> notPlain = List.of(
                "{not json",
                "{\"schemaVersion\":1,\"type\":\"StepObserved\",\"sweepId\":\"x\",\"rank\":0,"
                        + "\"step\":1,\"lr\":0.1,\"loss\":2,\"wallMillis\":1}",
                "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"step\":1,\"lr\":0.1,\"loss\":2}",
                "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"step\":1,\"step\":2,\"lr\":0.1,\"loss\":2,\"wallMillis\":1}",
                "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":\"0\","
                        + "\"step\":1,\"lr\":0.1,\"loss\":2,\"wallMillis\":1}",
                "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":null,\"rank\":0,"
                        + "\"step\":1,\"lr\":0.1,\"loss\":2,\"wallMillis\":1}",
                "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"step\":1.5,\"lr\":0.1,\"loss\":2,\"wallMillis\":1}",
                "{\"type\":\"StepObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"step\":1,\"lr\":0.1,\"loss\":2,\"wallMillis\":1} trailing",
                "{\"type\":\"StepsObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"steps\":[{\"step\":1,\"lr\":0.1}],\"wallMillis\":1}",
                "{\"type\":\"StepsObserved\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"steps\":[null],\"wallMillis\":1}",
                "{\"type\":\"SweepEnded\",\"schemaVersion\":1,\"sweepId\":\"x\",\"rank\":0,"
                        + "\"outcome\":\"completed\",\"lastStep\":1,\"wallMillis\":1}");

        for (String json : notPlain) {
            assertThat(StepEventReader.read(utf8(json))).as(json).isNull();
        }
        assertThat(StepEventReader.read(null)).isNull();
    }
}
