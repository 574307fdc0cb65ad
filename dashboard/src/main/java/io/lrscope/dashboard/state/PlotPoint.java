package io.lrscope.dashboard.state;

/**
 * One point of a sweep as the page draws it: a step whose every rank has reported, with the
 * mean loss over ranks. {@code seq} is the point's position in the sweep's arrival order and
 * the SSE event id, so a reconnecting client resumes strictly after the last seq it saw.
 */
public record PlotPoint(long seq, long step, double lr, double loss) {}
