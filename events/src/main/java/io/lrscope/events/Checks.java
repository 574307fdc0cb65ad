package io.lrscope.events;

/** Field checks shared by the event records; each names the field and the value it rejects. */
final class Checks {

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_TEXT_LENGTH = 1024;

    private Checks() {}

    static void schema(int schemaVersion) {
        if (schemaVersion < 1) {
            throw InvalidEventException.field("schemaVersion", schemaVersion, "must be >= 1");
        }
        if (schemaVersion > SchemaVersion.CURRENT) {
            throw InvalidEventException.field(
                    "schemaVersion",
                    schemaVersion,
                    "newer than this reader understands (" + SchemaVersion.CURRENT + "); upgrade");
        }
    }

    static void id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw InvalidEventException.field(field, value, "required, must not be blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw InvalidEventException.field(
                    field, abbreviate(value), "longer than " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw InvalidEventException.field(
                        field, abbreviate(value), "has control characters");
            }
        }
    }

    static void text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT_LENGTH) {
            throw InvalidEventException.field(
                    field, abbreviate(value), "longer than " + MAX_TEXT_LENGTH + " characters");
        }
    }

    static void positiveFinite(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw InvalidEventException.field(field, value, "must be a finite number > 0");
        }
    }

    static void nonNegativeFinite(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw InvalidEventException.field(field, value, "must be a finite number >= 0");
        }
    }

    static void fraction(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw InvalidEventException.field(field, value, "must be in [0, 1]");
        }
    }

    static void nonNegative(String field, long value) {
        if (value < 0) {
            throw InvalidEventException.field(field, value, "must be >= 0");
        }
    }

    static void positive(String field, long value) {
        if (value <= 0) {
            throw InvalidEventException.field(field, value, "must be > 0");
        }
    }

    static String abbreviate(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    }
}
