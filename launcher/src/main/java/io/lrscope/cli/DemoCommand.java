package io.lrscope.cli;

import io.lrscope.agent.FixedLrTraining;
import io.lrscope.agent.KafkaSweepSink;
import io.lrscope.agent.PublishSettings;
import io.lrscope.agent.SweepSettings;
import io.lrscope.agent.confirm.ConfirmRunner;
import io.lrscope.agent.confirm.ConfirmSettings;
import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.topology.AnalyzerConfig;
import io.lrscope.analyzer.topology.AnalyzerService;
import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.dashboard.DashboardServer;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lrscope demo}: everything on one machine — a real single-node Kafka broker, the
 * analyzer, the dashboard and one real sweep on the bundled digits data, then (unless
 * {@code --no-confirm}) short warmup + cosine confirm runs at multiples of the pick, so the page
 * shows the sweep, the pick, its confirmation and the YAML. With {@code --headless} it exits
 * after the final recommendation, printed as the last stdout line: with its
 * {@code confirmation} when the analyzer attached one within {@link #CONFIRMATION_WAIT} of the
 * last confirm run, the final recommendation as it stands otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker, the analyzer and the dashboard, and run "
                + "one real LR range test on the bundled digits data.")
final class DemoCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);
    private static final Duration FINAL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration DEFAULT_PACE = Duration.ofMillis(30);
    /** The analyzer ranks confirm runs within a commit interval (~100 ms) once they end. */
    static final Duration CONFIRMATION_WAIT = Duration.ofSeconds(5);

    /**
     * The demo sweeps 300 steps rather than the agent's 100: the 0.98 EMA averages over about 50
     * points, which on 100 steps across seven decades of LR is three decades of lag.
     */
    static final int DEMO_STEPS = 300;

    private final CountDownLatch cleaned = new CountDownLatch(1);

    @Option(names = "--headless",
            description = "don't wait for a browser; exit after the final recommendation and "
                    + "print it as one JSON line last")
    boolean headless;

    @Option(names = "--data-dir", description = "keep Kafka data and analyzer state here "
            + "(default: a temporary folder, deleted on exit)")
    Path dataDir;

    @Option(names = "--check-accuracy", description = "after the sweep, train 3 epochs at the "
            + "pick and report the validation accuracy")
    boolean checkAccuracy;

    @Option(names = "--no-confirm", description = "skip the confirm runs after the sweep")
    boolean noConfirm;

    @Option(names = "--confirm-factors", split = ",", paramLabel = "FACTOR",
            description = "multiples of the pick to confirm with (default 0.3,1,3)")
    List<Double> confirmFactors = ConfirmSettings.DEFAULT_FACTORS;

    @Option(names = "--confirm-steps", paramLabel = "STEPS",
            description = "optimizer steps of each confirm run, 5 %% of them warmup "
                    + "(default " + ConfirmSettings.DEFAULT_STEPS + ")")
    int confirmSteps = ConfirmSettings.DEFAULT_STEPS;

    @Option(names = "--start-delay", defaultValue = "3s", converter = Durations.class,
            description = "time to open the page before the sweep starts, without --headless "
                    + "(default ${DEFAULT-VALUE})")
    Duration startDelay;

    @Option(names = "--pace", converter = Durations.class,
            description = "pause after each step so the curve can be watched growing "
                    + "(default 30ms, 0ms with --headless)")
    Duration pace;

    @Mixin DashboardOptions web = new DashboardOptions();
    @Mixin AgentOptions agent = new AgentOptions();
    @Mixin AnalysisOptions analysis = new AnalysisOptions();

    @Override
    public Integer call() throws Exception {
        SweepSettings settings = agent.settings(DEMO_STEPS);
        PublishSettings publish = agent.publishSettings();
        ConfirmSettings confirm = ConfirmSettings.defaults()
                .withFactors(confirmFactors).withSteps(confirmSteps);
        if (!noConfirm) {
            confirm.validate();
        }
        Path stateDir = dataDir == null
                ? Files.createTempDirectory("lrscope-analyzer-")
                : Files.createDirectories(dataDir.resolve("analyzer-state"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                dataDir == null ? null : dataDir.resolve("kafka"))) {
            try (Admin admin = kafka.admin()) {
                Topics.ensure(admin, 3, (short) 1);
            }
            String bootstrap = kafka.bootstrapServers();
            AnalyzerConfig analyzerConfig = new AnalyzerConfig(bootstrap,
                    AnalyzerConfig.DEFAULT_APPLICATION_ID, stateDir, analysis.curveSettings(),
                    new AdviceSettings(analysis.trainingSteps, analysis.warmupFraction),
                    AnalyzerConfig.DEFAULT_STALE_AFTER, true);
            try (AnalyzerService analyzer = new AnalyzerService(analyzerConfig);
                    DashboardServer dashboard = startDashboard(bootstrap);
                    RecommendationReader reader = new RecommendationReader(bootstrap)) {
                analyzer.start(Duration.ofSeconds(60));
                System.out.println("Dashboard: " + dashboard.pageUrl());
                System.out.flush();
                if (!headless) {
                    System.out.println("Open it in a browser; the sweep starts in "
                            + startDelay.toSeconds() + " s. Ctrl-C quits.");
                    System.out.flush();
                    Thread.sleep(startDelay.toMillis());
                }

                Duration pause = pace != null ? pace : headless ? Duration.ZERO : DEFAULT_PACE;
                SweepEnded ended = SweepCommand.run(bootstrap, settings, publish, pause);
                log.info("sweep={} ended outcome={} lastStep={}", settings.sweepId(),
                        ended.outcome(), ended.lastStep());
                Recommendation result = reader.await(
                        r -> r.sweepId().equals(settings.sweepId()) && r.isFinal(),
                        FINAL_TIMEOUT)
                        .orElseThrow(() -> new Errors.UserError("no final recommendation for "
                                + "sweep " + settings.sweepId() + " within " + FINAL_TIMEOUT));
                if (checkAccuracy) {
                    reportAccuracy(settings, result);
                }
                if (!noConfirm) {
                    result = confirm(bootstrap, settings, confirm, result, reader);
                }
                if (headless) {
                    System.out.println(EventJson.toJson(result));
                    System.out.flush();
                    return 0;
                }
                System.out.println(WatchCommand.line(result));
                if (result.torchtuneYaml() != null) {
                    System.out.print(result.torchtuneYaml());
                }
                if (result.confirmation() != null) {
                    Recommendation.Confirmation c = result.confirmation();
                    System.out.println("Confirmation: " + c.verdict() + " - " + c.advice());
                    if (c.torchtuneYaml() != null) {
                        System.out.print(c.torchtuneYaml());
                    }
                }
                System.out.println("The page stays up at " + dashboard.pageUrl()
                        + " - press Ctrl-C to quit.");
                System.out.flush();
                awaitCtrlC();
                return 0;
            }
        } finally {
            if (dataDir == null) {
                deleteRecursively(stateDir);
            }
            cleaned.countDown();
        }
    }

    private DashboardServer startDashboard(String bootstrap) {
        DashboardServer dashboard = new DashboardServer(web.config(bootstrap));
        try {
            dashboard.start();
            return dashboard;
        } catch (RuntimeException e) {
            dashboard.close();
            if (web.port == 0) {
                throw e;
            }
            log.warn("port={} is not free ({}); using any free port instead", web.port,
                    e.getMessage());
            web.port = 0;
            DashboardServer fallback = new DashboardServer(web.config(bootstrap));
            fallback.start();
            return fallback;
        }
    }

    /**
     * Trains the confirm runs on the sweep's key and returns the recommendation with the
     * analyzer's confirmation, or {@code result} as it was when none came within
     * {@link #CONFIRMATION_WAIT} (an analyzer that does not rank confirm runs).
     */
    private static Recommendation confirm(String bootstrap, SweepSettings settings,
            ConfirmSettings confirm, Recommendation result, RecommendationReader reader) {
        if (result.pickLr() == null) {
            log.info("sweep={} has no pick ({}); confirm runs skipped", settings.sweepId(),
                    result.reason());
            return result;
        }
        // ConfirmRunner logs each run's outcome; the ranking is the analyzer's.
        try (KafkaSweepSink sink = new KafkaSweepSink(bootstrap)) {
            new ConfirmRunner(settings, confirm, sink).run(result.pickLr());
        }
        Optional<Recommendation> confirmed = reader.await(
                r -> r.sweepId().equals(settings.sweepId()) && r.confirmation() != null,
                CONFIRMATION_WAIT);
        if (confirmed.isEmpty()) {
            log.warn("sweep={} no confirmation from the analyzer within {} s; the confirm "
                    + "runs are on the page, the recommendation is shown without them",
                    settings.sweepId(), CONFIRMATION_WAIT.toSeconds());
        }
        return confirmed.orElse(result);
    }

    private static void reportAccuracy(SweepSettings settings, Recommendation result) {
        if (result.pickLr() == null) {
            log.warn("sweep={} has no pick ({}); accuracy check skipped",
                    settings.sweepId(), result.reason());
            return;
        }
        double accuracy = FixedLrTraining.validationAccuracy(settings, result.pickLr(), 3);
        log.info("sweep={} check: 3 epochs at pickLr={} validationAccuracy={}",
                settings.sweepId(), String.format(Locale.ROOT, "%.3e", result.pickLr()),
                String.format(Locale.ROOT, "%.4f", accuracy));
    }

    /** Blocks until Ctrl-C; the shutdown hook then waits for {@link #call} to clean up. */
    private void awaitCtrlC() throws InterruptedException {
        CountDownLatch quit = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            quit.countDown();
            try {
                cleaned.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-quit"));
        quit.await();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete dir={} error={}", dir, e.toString());
        }
    }
}
