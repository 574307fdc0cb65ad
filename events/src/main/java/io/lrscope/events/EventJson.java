package io.lrscope.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * JSON for every lrscope record. Decoding is strict about what matters (types, required
 * primitives, schema version) and lenient about what does not (unknown fields are ignored), and
 * every failure becomes an {@link InvalidEventException} with one readable line.
 *
 * <p>Non-finite losses travel as the strings {@code "NaN"}, {@code "Infinity"}.
 */
public final class EventJson {

    public static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                    .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    // a step or rank of 1.5, text after the record, or a field given twice is
                    // not something a writer meant: reject rather than guess
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();

    private EventJson() {}

    public static byte[] encode(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bug: cannot encode " + record.getClass(), e);
        }
    }

    public static String toJson(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bug: cannot encode " + record.getClass(), e);
        }
    }

    /** Decodes and validates one sweep event. */
    public static SweepEvent decodeEvent(byte[] bytes) {
        SweepEvent event = read(bytes, SweepEvent.class);
        event.validate();
        return event;
    }

    /** Decodes and validates one stop command. */
    public static StopSweep decodeStop(byte[] bytes) {
        StopSweep stop = read(bytes, StopSweep.class);
        stop.validate();
        return stop;
    }

    public static Recommendation decodeRecommendation(byte[] bytes) {
        Recommendation recommendation = read(bytes, Recommendation.class);
        Checks.schema(recommendation.schemaVersion());
        Checks.id("sweepId", recommendation.sweepId());
        return recommendation;
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new InvalidEventException("value=null: a record needs a JSON body");
        }
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new InvalidEventException("value=null: a record needs a JSON body");
            }
            return value;
        } catch (InvalidTypeIdException e) {
            newerSchemaFirst(bytes);
            throw InvalidEventException.field(
                    "type",
                    e.getTypeId() == null ? null : Checks.abbreviate(e.getTypeId()),
                    "unknown or missing event type (SweepStarted|StepObserved|StepsObserved|"
                            + "SweepEnded|"
                            + "ConfirmStarted|ConfirmStepObserved|ConfirmEnded)");
        } catch (JsonMappingException e) {
            newerSchemaFirst(bytes);
            String field =
                    e.getPath().stream()
                            .map(r -> r.getFieldName() != null
                                    ? r.getFieldName() : "[" + r.getIndex() + "]")
                            .collect(Collectors.joining("."));
            throw new InvalidEventException(
                    (field.isEmpty() ? "value" : field) + ": " + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw new InvalidEventException(
                    "value is not JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A body that does not fit today's schema may simply be from a newer writer; say so. */
    private static void newerSchemaFirst(byte[] bytes) {
        try {
            JsonNode version = MAPPER.readTree(bytes).get("schemaVersion");
            if (version != null && version.canConvertToInt()) {
                Checks.schema(version.intValue());
            }
        } catch (IOException ignored) {
            // not JSON at all: the caller reports the original problem
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
