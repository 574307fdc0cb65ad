package io.lrscope.cli;

import io.lrscope.analyzer.advice.AdviceSettings;
import io.lrscope.analyzer.offline.OfflineAnalysis;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lrscope analyze FILE.csv}: one JSON recommendation line, the analyzer's own math. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze a saved sweep (CSV with header step,lr,loss[,rank]) and print "
                + "one JSON recommendation line.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE.csv", description = "the sweep; '-' reads stdin")
    String file;

    @Option(names = "--planned-steps", paramLabel = "N",
            description = "the sweep's planned steps, for the 10%% burn-in (default: steps seen)")
    Integer plannedSteps;

    @Mixin AnalysisOptions analysis = new AnalysisOptions();

    @Override
    public Integer call() throws Exception {
        if (plannedSteps != null && plannedSteps <= 0) {
            throw new IllegalArgumentException(
                    "--planned-steps=" + plannedSteps + ": must be > 0");
        }
        String sweepId = "-".equals(file) ? "stdin" : Path.of(file).getFileName().toString();
        Recommendation recommendation;
        try (Reader reader = "-".equals(file)
                ? new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            recommendation = new OfflineAnalysis(analysis.curveSettings(),
                    new AdviceSettings(analysis.trainingSteps, analysis.warmupFraction))
                    .analyze(sweepId, reader, plannedSteps);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("FILE=" + file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("FILE=" + file + ": not UTF-8 text");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("FILE=" + file + ": cannot read ("
                    + (Files.isDirectory(Path.of(file)) ? "a directory" : e.getMessage()) + ")");
        }
        System.out.println(EventJson.toJson(recommendation));
        return 0;
    }
}
