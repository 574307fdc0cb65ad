package io.lrscope.cli;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.topology.AnalyzerConfig;
import io.lrscope.analyzer.topology.AnalyzerService;
import io.lrscope.analyzer.topology.MetricsEndpoint;
import io.lrscope.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lrscope serve-analyzer}: the long-running Kafka Streams analyzer. */
@Command(name = "serve-analyzer", mixinStandardHelpOptions = true,
        description = "Run the analyzer (Kafka Streams) until stopped. Instances with the same "
                + "--application-id share the work.")
final class ServeAnalyzerCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();
    @Mixin AnalysisOptions analysis = new AnalysisOptions();

    @Option(names = "--application-id",
            defaultValue = "${env:LRSCOPE_APPLICATION_ID:-lrscope-analyzer}",
            description = "Streams application id (default ${DEFAULT-VALUE})")
    String applicationId;

    @Option(names = "--state-dir",
            defaultValue = "${env:LRSCOPE_STATE_DIR:-${sys:user.home}/.lrscope/analyzer-state}",
            description = "private state dir of this instance (default ${DEFAULT-VALUE})")
    Path stateDir;

    @Option(names = "--stale-after", defaultValue = "${env:LRSCOPE_STALE_AFTER:-30s}",
            converter = Durations.class,
            description = "finalise a sweep silent this long, e.g. 30s, 2m "
                    + "(default ${DEFAULT-VALUE})")
    Duration staleAfter;

    @Option(names = "--partitions", defaultValue = "${env:LRSCOPE_PARTITIONS:-6}",
            description = "partitions for topics created if missing (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--metrics-port", defaultValue = "${env:LRSCOPE_METRICS_PORT:--1}",
            description = "serve Prometheus metrics at /metrics on this port; 0 any free port, "
                    + "-1 off (default ${DEFAULT-VALUE}; 9464 is the usual choice)")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "${env:LRSCOPE_METRICS_HOST:-127.0.0.1}",
            description = "address the metrics endpoint binds (default ${DEFAULT-VALUE})")
    String metricsHost;

    @Override
    public Integer call() throws Exception {
        AnalyzerConfig config = new AnalyzerConfig(kafka.bootstrap, applicationId, stateDir,
                analysis.curveSettings(),
                new AdviceSettings(analysis.trainingSteps, analysis.warmupFraction),
                staleAfter, true);
        try (Admin admin = Admin.create(java.util.Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap))) {
            Topics.ensure(admin, partitions, (short) -1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (MetricsEndpoint metrics = metricsPort < 0
                        ? null : MetricsEndpoint.start(metricsHost, metricsPort);
                AnalyzerService service = new AnalyzerService(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "analyzer-shutdown"));
            service.start(Duration.ofMinutes(2));
            stopped.await();
        }
        return 0;
    }
}
