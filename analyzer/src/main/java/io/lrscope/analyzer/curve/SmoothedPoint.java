package io.lrscope.analyzer.curve;

/** A usable point of the curve with its bias-corrected smoothed loss. */
public record SmoothedPoint(long step, double lr, double smoothed) {}
