package io.lrscope.analyzer.curve;

/** One step of a sweep after ranks are merged: the LR its update used and its mean loss. */
public record CurvePoint(long step, double lr, double loss) {}
