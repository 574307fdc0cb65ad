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
        long updatedMillis) {

    public static final String RUNNING = "running";
    public static final String FINAL = "final";

    @JsonIgnore
    public boolean isFinal() {
        return FINAL.equals(status);
    }

    /** A range of learning rates, low to high. */
    public record LrRange(double low, double high) {}

    /** The pick carried to another effective batch. */
    public record ScaledLr(long effectiveBatch, double factor, double linearLr, double sqrtLr) {}

    /** A well-known LR for a model family, with where it comes from. */
    public record CommunityDefault(
            String model, double lr, String optimizer, String source, String note) {}

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
