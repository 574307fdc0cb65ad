package io.lrscope.dashboard;

import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SchemaVersion;
import io.lrscope.events.StepObserved;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.SweepStarted;
import io.lrscope.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real sweep records for tests: curves from the analyzer's test CSVs, sent with a producer. */
public final class TestSweeps implements AutoCloseable {

    /** The analyzer module's clean U-shaped curve: 100 steps, divergence at 70. */
    public static final Path U_SHAPED =
            Path.of("..", "analyzer", "src", "test", "resources", "curves", "u-shaped-clean.csv");

    private final KafkaProducer<String, byte[]> producer;

    public TestSweeps(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(props);
    }

    /** One row of a curve CSV. */
    public record Row(long step, double lr, double loss) {}

    public static List<Row> readCurve(Path csv) {
        try {
            List<Row> rows = new ArrayList<>();
            for (String line : Files.readAllLines(csv)) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("step")) {
                    continue;
                }
                String[] f = line.split(",");
                rows.add(new Row(Long.parseLong(f[0].trim()), Double.parseDouble(f[1].trim()),
                        Double.parseDouble(f[2].trim())));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SweepConfig config(String label, String model, int steps) {
        return new SweepConfig(model, "digits", "adamw", 32, 1, 4, "exponential", 1e-7, 1.0,
                steps, 42L, "test-host", label);
    }

    public void started(String sweepId, SweepConfig config) {
        send(SweepStarted.of(sweepId, 0, config, System.currentTimeMillis()));
    }

    public void step(String sweepId, Row row) {
        send(StepObserved.of(sweepId, 0, row.step(), row.lr(), row.loss(),
                System.currentTimeMillis()));
    }

    public void steps(String sweepId, List<Row> rows) {
        rows.forEach(r -> step(sweepId, r));
        producer.flush();
    }

    public void send(SweepEvent event) {
        sendRaw(Topics.SWEEP_EVENTS, event.sweepId(), EventJson.encode(event));
    }

    public void recommend(Recommendation recommendation) {
        sendRaw(Topics.RECOMMENDATIONS, recommendation.sweepId(), EventJson.encode(recommendation));
    }

    public void sendRaw(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The analyzer's result for these rows, as the Streams analyzer would publish it. */
    public static Recommendation recommendationFor(
            String sweepId, List<Row> rows, SweepConfig config, String status) {
        SweepCurve curve = new SweepCurve();
        rows.forEach(r -> curve.add(0, r.step(), r.lr(), r.loss()));
        CurveAnalysis a = new CurveAnalyzer(CurveSettings.defaults())
                .analyze(curve, config == null ? null : config.steps());
        boolean pick = a.verdict().hasPick();
        long batch = config == null ? 32 : config.effectiveBatch();
        double pickLr = pick ? a.pickLr() : 0;
        return new Recommendation(
                SchemaVersion.CURRENT, sweepId, status, a.verdict().wireName(),
                rows.isEmpty() ? -1 : rows.get(rows.size() - 1).step(),
                a.points().size(), a.pointsUsed(), a.burnIn(), a.duplicates(), a.ranks(),
                a.minLoss(), a.minLossLr(), a.pickLr(), a.steepestLr(),
                a.divergedAtStep(), a.divergence(), a.inconclusive(), a.reason(),
                a.inconclusive() ? "raise the end LR" : null,
                pick ? new Recommendation.LrRange(a.steepestLr(), a.minLossLr()) : null,
                batch, config, null,
                pick ? List.of(new Recommendation.ScaledLr(batch * 4, 4, pickLr * 4, pickLr * 2))
                        : null,
                pick ? new Recommendation.CommunityDefault(
                        "llama-3.3-70b", 2e-5, "adamw", "torchtune recipe", "full fine-tune")
                        : null,
                pick ? "optimizer:\n  _component_: torch.optim.AdamW\n  lr: " + pickLr
                        + "\nlr_scheduler:\n  _component_: "
                        + "torchtune.training.get_cosine_schedule_with_warmup\n"
                        + "  num_warmup_steps: 100\n" : null,
                new Recommendation.AnalysisParams(0.98, 0.9, 3, 0.01, 0.1,
                        config == null ? null : config.steps(), "test"),
                System.currentTimeMillis());
    }

    @Override
    public void close() {
        producer.close();
    }
}
