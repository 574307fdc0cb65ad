package io.lrscope.agent.confirm;

import io.lrscope.agent.SweepRunner;
import io.lrscope.agent.SweepSettings;
import io.lrscope.analyzer.confirm.ConfirmRanking;
import io.lrscope.analyzer.confirm.ConfirmRuns;
import io.lrscope.analyzer.curve.CurveAnalysis;
import io.lrscope.analyzer.curve.CurveAnalyzer;
import io.lrscope.analyzer.curve.CurveSettings;
import io.lrscope.analyzer.curve.SweepCurve;
import io.lrscope.events.ConfirmEnded;
import io.lrscope.events.ConfirmEvent;
import io.lrscope.events.Recommendation.Confirmation;
import io.lrscope.events.StepObserved;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What confirmation buys, measured: for each model (the digits MLP, the char-LM), optimizer and
 * seed, sweep as the demo does (300 steps, 1e-7 → 1), take the analyzer's pick, confirm it at
 * ×0.3, ×1, ×3 and rank the runs with the analyzer's own code; then train a log-spaced grid of
 * 9 LRs (1e-4 … 1, half a decade apart) with the same warmup + cosine schedule, budget, seed
 * and batch. The grid's best is the oracle. Scores are validation accuracy (per character for
 * the char-LM) as a fraction of the grid's best accuracy, and the grid's best validation loss
 * divided by the run's (1 = as good as the oracle).
 *
 * <p>Run on demand (not a *Test): {@code tools/confirm-bench.sh}. Every run selects on the same
 * validation split the oracle is scored on; there is no separate test split.
 */
class ConfirmBench {

    private static final List<Double> GRID = List.of(
            1e-4, 3.1622776601683795e-4, 1e-3, 3.1622776601683795e-3, 1e-2,
            3.1622776601683795e-2, 1e-1, 3.1622776601683794e-1, 1.0);

    @Test
    void printConfirmedAndPlainPickAgainstTheGrid() {
        int steps = Integer.getInteger("bench.steps", ConfirmSettings.DEFAULT_STEPS);
        List<String> optimizers = List.of(System.getProperty("bench.opts", "sgd,adamw")
                .split(","));
        List<String> models = List.of(System.getProperty("bench.models", "digits-mlp,char-lm")
                .split(","));
        List<Long> seeds = List.of(System.getProperty("bench.seeds", "42,7,123").split(","))
                .stream().map(Long::parseLong).toList();
        ConfirmSettings confirm = ConfirmSettings.defaults().withSteps(steps);
        for (String model : models) {
            for (String optimizer : optimizers) {
                List<double[]> fractions = new ArrayList<>();
                for (long seed : seeds) {
                    fractions.add(benchOne(model, optimizer, seed, confirm));
                }
                printSummary(model, optimizer, seeds.size(), steps, fractions);
            }
        }
    }

    private static void printSummary(String model, String optimizer, int seeds, int steps,
            List<double[]> fractions) {
        System.out.printf(Locale.ROOT, "bench=confirm-summary model=%s optimizer=%s seeds=%d "
                        + "steps=%d confirmedAccuracyFractionMean=%.4f "
                        + "confirmedAccuracyFractionMin=%.4f pickAccuracyFractionMean=%.4f "
                        + "pickAccuracyFractionMin=%.4f confirmedLossRatioMean=%.4f "
                        + "pickLossRatioMean=%.4f goal=0.95%n", model, optimizer, seeds, steps,
                mean(fractions, 0), min(fractions, 0), mean(fractions, 1), min(fractions, 1),
                mean(fractions, 2), mean(fractions, 3));
    }

    /** Returns {confirmedAccFraction, pickAccFraction, confirmedLossRatio, pickLossRatio}. */
    private static double[] benchOne(String model, String optimizer, long seed,
            ConfirmSettings confirm) {
        long started = System.nanoTime();
        double momentum = optimizer.equals("sgd") ? 0.9 : 0;
        double weightDecay = optimizer.equals("adamw") ? 0.01 : 0;
        SweepSettings sweep = new SweepSettings("bench-" + optimizer + "-" + seed, 0, 1, 32, 1,
                optimizer, momentum, weightDecay, "exponential", 1e-7, 1.0, 300, seed,
                SweepSettings.DIGITS_MLP, "confirm bench");
        if (model.equals(SweepSettings.CHAR_LM)) {
            // the LSTM's test settings: 16 windows of 32 characters per step
            sweep = sweep.withModel(SweepSettings.CHAR_LM, null, null, null, 32)
                    .withBatch(16, 1);
        }

        ConfirmRunnerTest.Sink sweepEvents = new ConfirmRunnerTest.Sink();
        new SweepRunner(sweep, sweepEvents).run();
        SweepCurve curve = new SweepCurve();
        for (StepObserved s : sweepEvents.of(StepObserved.class)) {
            curve.add(s.rank(), s.step(), s.lr(), s.loss());
        }
        CurveAnalysis analysis = new CurveAnalyzer(CurveSettings.defaults())
                .analyze(curve, sweep.steps());
        if (analysis.pickLr() == null) {
            throw new IllegalStateException("sweep " + sweep.sweepId() + " has no pick: "
                    + analysis.reason());
        }
        double pick = analysis.pickLr();

        ConfirmRunnerTest.Sink confirmEvents = new ConfirmRunnerTest.Sink();
        List<ConfirmEnded> confirmEnds =
                new ConfirmRunner(sweep, confirm, confirmEvents).run(pick);
        ConfirmRuns runs = new ConfirmRuns();
        confirmEvents.of(ConfirmEvent.class).forEach(runs::apply);
        Confirmation confirmation = ConfirmRanking.rank(runs, optimizer, confirm.steps(),
                confirm.warmupFraction());
        ConfirmEnded pickRun = confirmEnds.stream().filter(e -> e.runId().equals("x1"))
                .findFirst().orElseThrow();
        ConfirmEnded confirmedRun = confirmation.confirmedLr() == null ? pickRun
                : confirmEnds.stream().filter(e -> e.runId().equals(
                        ConfirmSettings.runId(confirmation.confirmedFactor())))
                        .findFirst().orElseThrow();

        List<ConfirmEnded> grid = new ConfirmRunner(sweep.withSweepId(sweep.sweepId() + "-grid"),
                confirm.withFactors(GRID), new ConfirmRunnerTest.Sink()).run(1.0);
        ConfirmEnded bestByAccuracy = grid.stream()
                .filter(e -> e.validationAccuracy() != null)
                .max(Comparator.comparingDouble(ConfirmEnded::validationAccuracy)).orElseThrow();
        ConfirmEnded bestByLoss = grid.stream()
                .filter(e -> e.finalValidationLoss() != null)
                .min(Comparator.comparingDouble(ConfirmEnded::finalValidationLoss)).orElseThrow();
        StringBuilder gridText = new StringBuilder();
        for (int i = 0; i < grid.size(); i++) {
            ConfirmEnded e = grid.get(i);
            gridText.append(i == 0 ? "" : ";").append(String.format(Locale.ROOT, "%.1e:%s/%s",
                    GRID.get(i), num(e.finalValidationLoss()), num(e.validationAccuracy())));
        }

        double[] result = {
            accuracy(confirmedRun) / bestByAccuracy.validationAccuracy(),
            accuracy(pickRun) / bestByAccuracy.validationAccuracy(),
            lossRatio(bestByLoss, confirmedRun),
            lossRatio(bestByLoss, pickRun)};
        System.out.printf(Locale.ROOT, "bench=confirm model=%s optimizer=%s seed=%d "
                        + "steps=%d warmupSteps=%d pickLr=%.3e confirmedLr=%.3e "
                        + "confirmedFactor=%s verdict=%s gridBestAccuracyLr=%.1e "
                        + "gridBestAccuracy=%.4f gridBestLossLr=%.1e gridBestLoss=%.4f "
                        + "pickAccuracy=%s pickLoss=%s confirmedAccuracy=%s confirmedLoss=%s "
                        + "confirmedAccuracyFraction=%.4f pickAccuracyFraction=%.4f "
                        + "confirmedLossRatio=%.4f pickLossRatio=%.4f seconds=%.1f grid=%s%n",
                model, optimizer, seed, confirm.steps(), confirm.warmupSteps(), pick,
                confirmation.confirmedLr() == null ? Double.NaN : confirmation.confirmedLr(),
                confirmation.confirmedFactor(), confirmation.verdict(),
                GRID.get(grid.indexOf(bestByAccuracy)), bestByAccuracy.validationAccuracy(),
                GRID.get(grid.indexOf(bestByLoss)), bestByLoss.finalValidationLoss(),
                num(pickRun.validationAccuracy()), num(pickRun.finalValidationLoss()),
                num(confirmedRun.validationAccuracy()), num(confirmedRun.finalValidationLoss()),
                result[0], result[1], result[2], result[3],
                (System.nanoTime() - started) / 1e9, gridText);
        return result;
    }

    private static double accuracy(ConfirmEnded run) {
        return run.validationAccuracy() == null ? 0 : run.validationAccuracy();
    }

    private static double lossRatio(ConfirmEnded best, ConfirmEnded run) {
        return run.finalValidationLoss() == null
                ? 0 : best.finalValidationLoss() / run.finalValidationLoss();
    }

    private static String num(Double value) {
        return value == null ? "none" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static double mean(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).average().orElse(Double.NaN);
    }

    private static double min(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).min().orElse(Double.NaN);
    }
}
