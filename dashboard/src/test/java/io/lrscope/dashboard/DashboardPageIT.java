package io.lrscope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lrscope.broker.EmbeddedKafka;
import io.lrscope.dashboard.TestSweeps.Row;
import io.lrscope.analyzer.confirm.ConfirmRanking;
import io.lrscope.analyzer.confirm.ConfirmRuns;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.ConfirmStarted;
import io.lrscope.events.ConfirmStepObserved;
import io.lrscope.events.Recommendation;
import io.lrscope.events.SweepConfig;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import io.lrscope.events.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The page in headless Chromium against a real broker: what an ML engineer watching a sweep
 * sees. Tests share one broker, dashboard and browser; each uses its own sweep ids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPageIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String HOSTILE =
            "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>";

    static EmbeddedKafka kafka;
    static DashboardServer dashboard;
    static TestSweeps sweeps;
    static WebDriver browser;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        kafka = EmbeddedKafka.start();
        Topics.ensure(kafka.admin(), 3, (short) 1);
        dashboard = new DashboardServer(
                new DashboardConfig(kafka.bootstrapServers(), null, 0, null));
        dashboard.start();
        sweeps = new TestSweeps(kafka.bootstrapServers());
        profile = Files.createTempDirectory("lrscope-chromium-");
        browser = chromium(profile);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (sweeps != null) {
            sweeps.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    @Order(1)
    void pageOpenedBeforeTheSweepShowsItAndItsCurveGrowsWithoutReload() throws Exception {
        browser.get(dashboard.url());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> text("#no-sweeps").contains("No sweeps"));

        String id = "u-shaped-1";
        List<Row> rows = TestSweeps.readCurve(TestSweeps.U_SHAPED);
        SweepConfig config = TestSweeps.config("digits MLP · AdamW", "mlp-64-32-10", rows.size());
        Thread producer = new Thread(() -> {
            sweeps.started(id, config);
            for (Row row : rows) {
                sweeps.step(id, row);
                sleep(40);
            }
        });
        producer.start();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> id.equals(js("return lrscope.selected()")));
        TreeSet<Long> seen = new TreeSet<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(150)).until(() -> {
            seen.add(number("return lrscope.renderedCount(arguments[0])", id));
            return seen.last() == rows.size();
        });
        producer.join();
        List<Long> partial = seen.stream().filter(n -> n > 0 && n < rows.size()).toList();
        assertThat(partial).as("point counts seen while the sweep ran").hasSizeGreaterThan(5);

        Recommendation rec = TestSweeps.recommendationFor(id, rows, config, Recommendation.FINAL);
        sweeps.recommend(rec);
        sweeps.send(SweepEnded.of(id, 0, SweepEnded.Outcome.STOPPED, "diverged", 99,
                System.currentTimeMillis()));
        await().atMost(Duration.ofSeconds(5)).until(() -> js("return lrscope.markers()") != null
                && ((Map<?, ?>) js("return lrscope.markers()")).get("pickLr") != null);

        Map<?, ?> markers = (Map<?, ?>) js("return lrscope.markers()");
        assertThat(((Number) markers.get("pickLr")).doubleValue()).isEqualTo(rec.pickLr());
        assertThat(((Number) markers.get("minLossLr")).doubleValue()).isEqualTo(rec.minLossLr());
        assertThat(((Number) markers.get("steepestLr")).doubleValue())
                .isEqualTo(rec.steepestLr());
        assertThat(((Number) markers.get("divergenceLr")).doubleValue())
                .isEqualTo(rows.get(70).lr());
        assertThat(number("return lrscope.smoothedCount(arguments[0])", id))
                .as("smoothed points drawn = the analyzer's usable points")
                .isEqualTo(rec.pointsUsed());
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#card-body").contains("2.8e-04"));
        assertThat(text("#card-body")).contains("1.1e-04", "2.8e-03", "step 70",
                "128 = 32 × 1 dp × 4 accum", "get_cosine_schedule_with_warmup",
                "Community default");
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#sweeps").contains("diverged"));

        screenshot("sweep-view.png");
        assertThat(severeBrowserErrors()).isEmpty();
    }

    @Test
    @Order(2)
    void sweepLabelledWithMarkupShowsItAsInertText() throws Exception {
        String id = "hostile-" + HOSTILE;
        sweeps.started(id, new SweepConfig(HOSTILE, HOSTILE, "adamw", 8, 1, 1, "exponential",
                1e-6, 1.0, 20, 1L, "h", HOSTILE));
        sweeps.steps(id, rowsFor(20));
        js("lrscope.select(arguments[0])", id);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.renderedCount(arguments[0])", id) == 20);
        assertThat(text("#sweeps")).contains("<img src=x onerror=\"window.__pwned=1\">");
        assertThat(text("#sweep-title")).isEqualTo(HOSTILE);
        assertThat(js("return typeof window.__pwned")).isEqualTo("undefined");
        assertThat(browser.findElements(By.cssSelector("#sweeps img, #card img, main script")))
                .isEmpty();
    }

    @Test
    @Order(3)
    void nativeRetryResumesAfterLastEventIdWithoutGapOrDuplicate() {
        reconnectWithoutGap("c16-native", "native", "header");
    }

    @Test
    @Order(4)
    void newEventSourceResumesFromLastEventIdParameter() {
        reconnectWithoutGap("c16-app", "app", "query");
    }

    @Test
    @Order(5)
    void zeroLossesKeepTheChartDrawnOnALinearAxis() {
        String id = "c14-b";
        sweeps.started(id, TestSweeps.config("all losses zero", "toy", 4));
        List<Row> zeros = List.of(new Row(0, 1e-6, 0), new Row(1, 1e-5, 0),
                new Row(2, 1e-4, 0), new Row(3, 1e-3, 0));
        sweeps.steps(id, zeros);
        js("lrscope.select(arguments[0]); lrscope.setLogY(true)", id);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.renderedCount(arguments[0])", id) == 4);
        await().atMost(Duration.ofSeconds(2)).until(() -> String.valueOf(
                js("return lrscope.notices().join(' ')")).contains("axis is linear"));
        long started = System.nanoTime();
        assertThat(js("return document.title")).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        js("lrscope.setLogY(false)");
    }

    @Test
    @Order(6)
    void tooFewPointsShowAReadableMessageInsteadOfAChart() throws IOException {
        String id = "c09-c";
        SweepConfig config = TestSweeps.config("ended before any step", "toy", 100);
        sweeps.started(id, config);
        sweeps.send(SweepEnded.of(id, 0, SweepEnded.Outcome.FAILED, "dataset exhausted", -1,
                System.currentTimeMillis()));
        sweeps.recommend(TestSweeps.recommendationFor(id, List.of(), config, Recommendation.FINAL));
        js("lrscope.select(arguments[0])", id);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> text("#chart-message").contains("Not enough data"));
        assertThat(text("#card-body")).contains("not enough usable points").doesNotContain("NaN");
        assertThat(text("#sweeps")).contains("failed");
        screenshot("insufficient-data.png");
    }

    @Test
    @Order(7)
    void restartedDashboardShowsTheWholeCurveFromTheTopics() {
        try (DashboardServer second = new DashboardServer(
                new DashboardConfig(kafka.bootstrapServers(), null, 0, null))) {
            second.start();
            browser.get(second.url());
            js("lrscope.select(arguments[0])", "u-shaped-1");
            await().atMost(Duration.ofSeconds(15)).until(
                    () -> number("return lrscope.renderedCount(arguments[0])", "u-shaped-1")
                            == 100);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> text("#card-body").contains("2.8e-04"));
        }
        browser.get(dashboard.url());
    }

    @Test
    @Order(8)
    void compareOverlaysASecondSweepAndExportsAndCopyButtonsWork() throws IOException {
        browser.get(dashboard.url());
        js("lrscope.select('u-shaped-1')");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.renderedCount('u-shaped-1')") == 100);
        browser.findElement(By.cssSelector("#sweeps tr[data-sweep-id='c16-native'] input"))
                .click();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.renderedCount('c16-native')") == 100);
        assertThat(number("return lrscope.renderedCount('u-shaped-1')")).isEqualTo(100);
        assertThat(js("return lrscope.zoomAvailable()")).isEqualTo(true);

        String csv = (String) js("return lrscope.csv('u-shaped-1')");
        assertThat(csv.lines().toList()).hasSize(101).first().isEqualTo("step,lr,loss,smoothed");
        browser.findElement(By.cssSelector("button[data-copy='lr']")).click();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> "2.85e-04".equals(js("return lrscope.lastCopied")));
        browser.findElement(By.id("export-png")).click();
        browser.findElement(By.id("export-csv")).click();
        screenshot("compare.png");
        assertThat(severeBrowserErrors()).isEmpty();
    }

    @Test
    @Order(9)
    void confirmRunsDrawTheirLossCurvesBesideTheSweepAndTheCardShowsTheConfirmedLr()
            throws Exception {
        String id = "confirm-1";
        List<Row> rows = rowsFor(100);
        SweepConfig config = TestSweeps.config("confirmed sweep", "mlp", 100);
        sweeps.started(id, config);
        sweeps.steps(id, rows);
        sweeps.send(SweepEnded.of(id, 0, SweepEnded.Outcome.COMPLETED, "done", 99,
                System.currentTimeMillis()));
        Recommendation rec = TestSweeps.recommendationFor(id, rows, config, Recommendation.FINAL);
        sweeps.recommend(rec);
        browser.get(dashboard.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> id.equals(
                js("lrscope.select(arguments[0]); return lrscope.selected()", id)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.renderedCount(arguments[0])", id) == 100);
        assertThat(browser.findElement(By.id("confirm-box")).isDisplayed()).isFalse();

        // Three runs of 60 steps at pick × {0.3, 1, 3}, validation every 10 steps; ×3 blows up
        // at step 30. The page is open while they arrive, and its stream is cut once midway.
        double pick = rec.pickLr();
        double[] factors = {0.3, 1, 3};
        double[] finalLoss = {0.31, 0.12, Double.NaN};
        List<SweepEvent> confirm = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            String run = "x" + (r == 1 ? "1" : r == 0 ? "0.3" : "3");
            confirm.add(ConfirmStarted.of(id, run, 3, pick, factors[r], pick * factors[r], 60, 3,
                    System.currentTimeMillis()));
            for (int step = 0; step < 60; step++) {
                boolean blownUp = r == 2 && step >= 30;
                double loss = blownUp ? Double.NaN : 2.3 * Math.exp(-step / (15.0 + 10 * r));
                Double validation = (step + 1) % 10 == 0 && !blownUp
                        ? (r == 2 ? 1.5 : finalLoss[r]) + 0.01 * (59 - step) : null;
                confirm.add(ConfirmStepObserved.of(id, run, step, pick * factors[r], loss,
                        validation, validation == null ? null : 0.9, System.currentTimeMillis()));
                if (blownUp) {
                    break;
                }
            }
            confirm.add(r == 2
                    ? ConfirmEnded.of(id, run, ConfirmEnded.Outcome.DIVERGED, "loss=NaN at 30",
                            30, null, null, System.currentTimeMillis())
                    : ConfirmEnded.of(id, run, ConfirmEnded.Outcome.COMPLETED, "60 steps", 59,
                            finalLoss[r], 0.9 + 0.05 * r, System.currentTimeMillis()));
        }
        for (int i = 0; i < confirm.size(); i++) {
            sweeps.send(confirm.get(i));
            if (i == confirm.size() / 2) {
                dashboard.disconnectStreams();
            }
            if (i % 10 == 0) {
                sleep(20);
            }
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Map<?, ?> drawn = (Map<?, ?>) js("return lrscope.confirmDrawn()");
            return drawn.size() == 3 && drawn.get("x3") != null
                    && ((Number) ((Map<?, ?>) drawn.get("x1")).get("train")).intValue() == 60
                    && ((Number) ((Map<?, ?>) drawn.get("x3")).get("train")).intValue() == 30;
        });
        Map<?, ?> drawn = (Map<?, ?>) js("return lrscope.confirmDrawn()");
        assertThat(drawn.get("x0.3")).isEqualTo(Map.of("train", 60L, "validation", 6L));
        assertThat(drawn.get("x1")).isEqualTo(Map.of("train", 60L, "validation", 6L));
        // the blown-up step's NaN loss is held but not drawn
        assertThat(drawn.get("x3")).isEqualTo(Map.of("train", 30L, "validation", 3L));
        List<?> runs = (List<?>) js("return lrscope.confirmRuns(arguments[0])", id);
        assertThat(runs).hasSize(3);
        assertThat(((Map<?, ?>) runs.get(2)).get("points")).isEqualTo(31L);
        assertThat(((Map<?, ?>) runs.get(2)).get("outcome")).isEqualTo("diverged");
        assertThat(browser.findElement(By.id("confirm-box")).isDisplayed()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#card-body")
                .contains("Confirm runs: 3 of 3 ended"));
        assertThat(number("return lrscope.pointCount(arguments[0])", id)).isEqualTo(100);

        // The analyzer's ranking, as the Streams analyzer attaches it to the final record.
        ConfirmRuns ranked = new ConfirmRuns();
        confirm.stream().filter(e -> e instanceof ConfirmEvent)
                .forEach(e -> ranked.apply((ConfirmEvent) e));
        sweeps.recommend(ConfirmRanking.confirm(rec, ranked,
                io.lrscope.analyzer.advice.AdviceSettings.defaults(),
                System.currentTimeMillis() + 1));
        String expectedLr = String.format(java.util.Locale.ROOT, "%.1e", pick)
                .replaceAll("e([+-])(\\d)$", "e$10$2");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> text("#card-body").contains("Confirmed: the pick trained best."));
        assertThat(text("#confirmed-lr")).isEqualTo(expectedLr);
        assertThat(browser.findElements(By.cssSelector("#confirm-runs tr"))).hasSize(4);
        assertThat(text("#confirm-runs")).contains("×3").contains("diverged");

        java.net.http.HttpResponse<String> api = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        dashboard.url() + "api/sweeps/" + id + "/confirm")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"runId\":\"x0.3\"").contains("\"outcome\":\"diverged\"");
        js("document.getElementById('confirm-box').scrollIntoView()");
        screenshot("confirm.png");
        assertThat(severeBrowserErrors()).isEmpty();
    }

    private void reconnectWithoutGap(String id, String mode, String expectedSource) {
        browser.get(dashboard.url());
        js("lrscope.setReconnectMode(arguments[0])", mode);
        List<Row> rows = rowsFor(100);
        sweeps.started(id, TestSweeps.config("reconnect " + mode, "mlp", 100));
        sweeps.steps(id, rows.subList(0, 60));
        await().atMost(Duration.ofSeconds(10)).until(() -> id.equals(
                js("lrscope.select(arguments[0]); return lrscope.selected()", id)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.pointCount(arguments[0])", id) == 60);

        dashboard.disconnectStreams();
        sweeps.steps(id, rows.subList(60, 81));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.pointCount(arguments[0])", id) == 81);
        assertThat(dashboard.lastResume(id).afterId()).isEqualTo(59);
        assertThat(dashboard.lastResume(id).source()).isEqualTo(expectedSource);

        dashboard.disconnectStreams();
        sweeps.steps(id, rows.subList(81, 100));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> number("return lrscope.pointCount(arguments[0])", id) == 100);
        assertThat(dashboard.lastResume(id).afterId()).isEqualTo(80);

        List<Long> steps = ((List<?>) js("return lrscope.steps(arguments[0])", id)).stream()
                .map(s -> ((Number) s).longValue()).collect(Collectors.toList());
        assertThat(steps).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
        assertThat(number("return lrscope.duplicatesIgnored(arguments[0])", id)).isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> number("return lrscope.renderedCount(arguments[0])", id) == 100);
        js("lrscope.setReconnectMode('native')");
    }

    /** c16's curve: lr = 1e-6 · 10^(step/16.5), a loss that falls then rises. */
    static List<Row> rowsFor(int n) {
        List<Row> rows = new ArrayList<>();
        for (int step = 0; step < n; step++) {
            double lr = 1e-6 * Math.pow(10, step / 16.5);
            double loss = 2.3 - 1.5 * Math.sin(Math.PI * step / (n * 1.2)) + 0.002 * step;
            rows.add(new Row(step, lr, loss));
        }
        return rows;
    }

    static WebDriver chromium(Path profileDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1050", "--user-data-dir=" + profileDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    long number(String script, Object... args) {
        Object value = js(script, args);
        return value == null ? -1 : ((Number) value).longValue();
    }

    String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    void screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name), png);
    }

    List<String> severeBrowserErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .collect(Collectors.toList());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
