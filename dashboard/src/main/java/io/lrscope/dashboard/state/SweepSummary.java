package io.lrscope.dashboard.state;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of the sweeps list, as {@code /api/sweeps} and the {@code sweep} SSE event send it.
 * Text fields are whatever the agent sent; the page shows them as text, never as markup.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepSummary(
        String sweepId,
        String label,
        String model,
        String dataset,
        String optimizer,
        Integer batchSize,
        Integer dpDegree,
        Integer gradAccum,
        Long effectiveBatch,
        Integer plannedSteps,
        String status,
        long points,
        long lastStep,
        Double progress,
        Double pickLr,
        String verdict,
        String endedBy,
        String endReason,
        long firstSeenMillis,
        long lastActivityMillis) {}
