package io.lrscope.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The analyzer's latest answer for one sweep, kept on the compacted recommendations topic.
 *
 * <p>This record is a public contract: other services read it. Where there is no pick (too few
 * points, no descent, an invalid sweep) the LR fields are <em>absent</em> from the JSON, never
 * null, NaN or 0, and {@link #reason()} says why; {@code divergedAtStep} is always present and
 * null when the loss never blew up.
 *
 * @param status running while points arrive, final after SweepEnded (or a stale timeout)
 * @param verdict pick | inconclusive | no_descent | insufficient_data | invalid_sweep
 * @param pickLr one decade below the LR of the smoothed minimum: the recommendation
 * @param steepestLr where the smoothed loss fell fastest; shown beside the pick, never instead
 * @param suggestedRange steepest … minimum
 * @param scaled the pick carried to other effective batches by the linear and √ rules
 * @param torchtuneYaml optimizer and cosine-with-warmup scheduler block to paste
 * @param params the analysis parameters and analyzer version used, so a replay can match them
 * @param confirmation the confirm runs' verdict on the pick; absent until every confirm run of
 *     the sweep has ended (and always absent for sweeps that were not confirmed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommendation(
        int schemaVersion,
        String sweepId,
        String status,
        String verdict,
        long lastStep,
        int pointsSeen,
        int pointsUsed,
        int burnIn,
        int duplicates,
        int ranks,
        Double minLoss,
        Double minLossLr,
        Double pickLr,
        Double steepestLr,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long divergedAtStep,
        String divergence,
        boolean inconclusive,
        String reason,
        String advice,
        LrRange suggestedRange,
        Long effectiveBatch,
        SweepConfig config,
        String endedBy,
        List<ScaledLr> scaled,
        CommunityDefault communityDefault,
        String torchtuneYaml,
        AnalysisParams params,
        long updatedMillis,
        Confirmation confirmation) {

    public static final String RUNNING = "running";
    public static final String FINAL = "final";

    /** A recommendation without a confirmation: every field of schema version 1 before it. */
    public Recommendation(int schemaVersion, String sweepId, String status, String verdict,
            long lastStep, int pointsSeen, int pointsUsed, int burnIn, int duplicates, int ranks,
            Double minLoss, Double minLossLr, Double pickLr, Double steepestLr,
            Long divergedAtStep, String divergence, boolean inconclusive, String reason,
            String advice, LrRange suggestedRange, Long effectiveBatch, SweepConfig config,
            String endedBy, List<ScaledLr> scaled, CommunityDefault communityDefault,
            String torchtuneYaml, AnalysisParams params, long updatedMillis) {
        this(schemaVersion, sweepId, status, verdict, lastStep, pointsSeen, pointsUsed, burnIn,
                duplicates, ranks, minLoss, minLossLr, pickLr, steepestLr, divergedAtStep,
                divergence, inconclusive, reason, advice, suggestedRange, effectiveBatch, config,
                endedBy, scaled, communityDefault, torchtuneYaml, params, updatedMillis, null);
    }

    @JsonIgnore
    public boolean isFinal() {
        return FINAL.equals(status);
    }

    /** This recommendation with {@code confirmation} set (null removes it). */
    public Recommendation withConfirmation(Confirmation newConfirmation, long nowMillis) {
        return new Recommendation(schemaVersion, sweepId, status, verdict, lastStep, pointsSeen,
                pointsUsed, burnIn, duplicates, ranks, minLoss, minLossLr, pickLr, steepestLr,
                divergedAtStep, divergence, inconclusive, reason, advice, suggestedRange,
                effectiveBatch, config, endedBy, scaled, communityDefault, torchtuneYaml, params,
                nowMillis, newConfirmation);
    }

    /** A range of learning rates, low to high. */
    public record LrRange(double low, double high) {}

    /** The pick carried to another effective batch. */
    public record ScaledLr(long effectiveBatch, double factor, double linearLr, double sqrtLr) {}

    /** A well-known LR for a model family, with where it comes from. */
    public record CommunityDefault(
            String model, double lr, String optimizer, String source, String note) {}

    /**
     * What short warmup + cosine trainings at multiples of the pick said about it: the runs
     * ranked by final validation loss, the best one's LR as {@code confirmedLr}.
     *
     * @param verdict pick_confirmed (factor 1 won) | lower | higher (another factor won) |
     *     no_result (no run finished with a validation loss)
     * @param confirmedLr the peak LR of the best run; absent with no_result
     * @param confirmedFactor that run's multiple of {@code pickLr}
     * @param pickLr the pick the runs multiplied
     * @param atEdge the best run is the lowest or highest factor tried, so the optimum may lie
     *     beyond it
     * @param runs the evidence, best first
     * @param torchtuneYaml the recommendation's YAML block with {@code confirmedLr} as the LR
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Confirmation(
            String verdict,
            Double confirmedLr,
            Double confirmedFactor,
            double pickLr,
            boolean atEdge,
            String advice,
            List<ConfirmRunResult> runs,
            String torchtuneYaml) {

        public static final String PICK_CONFIRMED = "pick_confirmed";
        public static final String LOWER = "lower";
        public static final String HIGHER = "higher";
        public static final String NO_RESULT = "no_result";
    }

    /**
     * One confirm run's outcome.
     *
     * @param rank 1 for the lowest final validation loss; runs without one share the last rank
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConfirmRunResult(
            String runId,
            int rank,
            double factor,
            double peakLr,
            int steps,
            int warmupSteps,
            String outcome,
            Double finalValidationLoss,
            Double validationAccuracy) {}

    /**
     * The knobs of the analysis, recorded with every recommendation.
     *
     * @param plannedSteps N used for the burn-in (null: the number of steps seen)
     */
    public record AnalysisParams(
            double beta,
            double betaFast,
            double divergenceFactor,
            double minDescentFraction,
            double burnInFraction,
            Integer plannedSteps,
            String analyzerVersion) {}
}
