package io.lrscope.cli;

import io.lrscope.agent.KafkaSweepSink;
import io.lrscope.agent.PublishSettings;
import io.lrscope.agent.StopCommandListener;
import io.lrscope.agent.SweepPublisher;
import io.lrscope.agent.SweepRunner;
import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.SweepSink;
import io.lrscope.agent.model.Task;
import io.lrscope.events.EventJson;
import io.lrscope.events.SweepEnded;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lrscope sweep}: one trainer agent running one LR range test against Kafka. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run one LR range test and publish every step to Kafka.")
final class SweepCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();
    @Mixin AgentOptions agent = new AgentOptions();

    @Option(names = "--dry-run", description = "print the resolved settings and exit")
    boolean dryRun;

    @Option(names = "--epochs", paramLabel = "N",
            description = "sweep over N epochs of the training split instead of --steps: "
                    + "steps = N × (training rows ÷ effective batch)")
    Integer epochs;

    @Override
    public Integer call() {
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("epochs=" + epochs + ": must be >= 1");
        }
        SweepSettings settings = agent.settings(SweepSettings.defaults().steps(),
                epochs == null ? 0 : epochs);
        PublishSettings publish = agent.publishSettings();
        if (dryRun) {
            Task task = settings.task();
            Map<String, Object> resolved = new LinkedHashMap<>(
                    EventJson.MAPPER.convertValue(settings, Map.class));
            resolved.put("effectiveBatch", settings.effectiveBatch());
            resolved.put("task", task.objective().name().toLowerCase(Locale.ROOT));
            resolved.put("publishedModel", task.model());
            resolved.put("dataset", task.dataset());
            resolved.put("trainingRows", task.trainingRows());
            resolved.put("validationRows", task.validationRows());
            resolved.put("stepsPerRecord", publish.stepsPerRecord());
            resolved.put("recordDelayMillis", publish.maxDelay().toMillis());
            resolved.put("bootstrap", kafka.bootstrap);
            System.out.println(EventJson.toJson(resolved));
            return 0;
        }
        SweepEnded ended = run(kafka.bootstrap, settings, publish, Duration.ZERO);
        System.out.println(EventJson.toJson(ended));
        return ended.outcome() == SweepEnded.Outcome.FAILED ? 1 : 0;
    }

    /**
     * Runs the sweep with a stop listener on the control topic; used by demo too. Steps go
     * through a {@link SweepPublisher}, so encoding and sending stay off the training thread;
     * {@code pausePerStep} slows the training thread down for people to watch.
     */
    static SweepEnded run(String bootstrap, SweepSettings settings, PublishSettings publish,
            Duration pausePerStep) {
        try (SweepSink sink = new PacedSink(
                new SweepPublisher(new KafkaSweepSink(bootstrap), publish), pausePerStep)) {
            SweepRunner runner = new SweepRunner(settings, sink);
            try (StopCommandListener listener = new StopCommandListener(bootstrap,
                    settings.sweepId(), stop -> runner.requestStop(stop.reason()))) {
                return runner.run();
            }
        }
    }
}
