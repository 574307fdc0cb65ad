package io.lrscope.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                long millis = Long.parseLong(t.substring(0, t.length() - 2));
                return nonNegative(text, Duration.ofMillis(millis));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> nonNegative(text, Duration.ofSeconds(amount));
                case 'm' -> nonNegative(text, Duration.ofMinutes(amount));
                case 'h' -> nonNegative(text, Duration.ofHours(amount));
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + text + "' is not a duration like 500ms, 30s, 2m or 1h");
        }
    }

    private static Duration nonNegative(String text, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(text);
        }
        return d;
    }
}
