package io.lrscope.events;

/**
 * The major version of the wire format. Readers accept records up to {@link #CURRENT} and send
 * newer ones to dead letters; adding an optional field does not change it, removing or
 * re-meaning one does.
 */
public final class SchemaVersion {

    public static final int CURRENT = 1;

    private SchemaVersion() {}
}
