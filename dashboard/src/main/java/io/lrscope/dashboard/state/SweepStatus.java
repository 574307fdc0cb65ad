package io.lrscope.dashboard.state;

import java.util.Locale;

/** What the sweeps list says about a sweep; {@link #wireName()} is the lower-case JSON form. */
public enum SweepStatus {
    /** Points are arriving. */
    RUNNING,
    /** The loss blew up (the analyzer reported a divergence step), whether or not it ended. */
    DIVERGED,
    /** A person or the analyzer stopped it before its planned steps. */
    STOPPED,
    /** Every rank completed its planned steps. */
    DONE,
    /** A rank reported a failure. */
    FAILED,
    /** Not ended, and no event for longer than the configured silence. */
    STALE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
