package io.lrscope.analyzer.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lrscope.events.EventJson;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads StepObserved and StepsObserved, the records that make up nearly all of the events
 * topic, straight off Jackson's token stream instead of through data binding and type
 * resolution. Only the plain form agents write is taken: {@code "type"} first, every field
 * once, numbers as numbers. Anything else (a missing or repeated field, a loss sent as the string
 * "NaN", another type, bad JSON) returns null and goes the full {@link EventJson} way, so
 * defaults, coercions and the reasons given for dead letters stay exactly those of EventJson.
 * The caller still validates what comes back.
 */
final class StepEventReader {

    private StepEventReader() {}

    /** The event, or null when the record is not in the plain form. */
    static SweepEvent read(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try (JsonParser p = EventJson.MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT
                    || p.nextToken() != JsonToken.FIELD_NAME || !"type".equals(p.currentName())
                    || p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            String type = p.getText();
            SweepEvent event = switch (type) {
                case "StepObserved" -> readStep(p);
                case "StepsObserved" -> readSteps(p);
                default -> null;
            };
            return event != null && p.nextToken() == null ? event : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static StepObserved readStep(JsonParser p) throws IOException {
        Integer schemaVersion = null;
        Integer rank = null;
        Long step = null;
        Long wallMillis = null;
        Double lr = null;
        Double loss = null;
        String sweepId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "schemaVersion" -> schemaVersion = once(schemaVersion, integer(p, value));
                case "sweepId" -> sweepId = once(sweepId, text(p, value));
                case "rank" -> rank = once(rank, integer(p, value));
                case "step" -> step = once(step, whole(p, value));
                case "lr" -> lr = once(lr, number(p, value));
                case "loss" -> loss = once(loss, number(p, value));
                case "wallMillis" -> wallMillis = once(wallMillis, whole(p, value));
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || schemaVersion == null || sweepId == null
                || rank == null || step == null || lr == null || loss == null
                || wallMillis == null) {
            return null;
        }
        return new StepObserved(schemaVersion, sweepId, rank, step, lr, loss, wallMillis);
    }

    private static StepsObserved readSteps(JsonParser p) throws IOException {
        Integer schemaVersion = null;
        Integer rank = null;
        Long wallMillis = null;
        String sweepId = null;
        List<StepsObserved.Step> steps = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "schemaVersion" -> schemaVersion = once(schemaVersion, integer(p, value));
                case "sweepId" -> sweepId = once(sweepId, text(p, value));
                case "rank" -> rank = once(rank, integer(p, value));
                case "steps" -> steps = once(steps, stepList(p, value));
                case "wallMillis" -> wallMillis = once(wallMillis, whole(p, value));
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || schemaVersion == null || sweepId == null
                || rank == null || steps == null || wallMillis == null) {
            return null;
        }
        return new StepsObserved(schemaVersion, sweepId, rank, steps, wallMillis);
    }

    private static List<StepsObserved.Step> stepList(JsonParser p, JsonToken value)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new NotPlain();
        }
        List<StepsObserved.Step> steps = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Long step = null;
            Double lr = null;
            Double loss = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "step" -> step = once(step, whole(p, token));
                    case "lr" -> lr = once(lr, number(p, token));
                    case "loss" -> loss = once(loss, number(p, token));
                    default -> p.skipChildren();
                }
            }
            if (step == null || lr == null || loss == null) {
                throw new NotPlain();
            }
            steps.add(new StepsObserved.Step(step, lr, loss));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new NotPlain();
        }
        return steps;
    }

    private static <T> T once(T previous, T value) {
        if (previous != null) {
            throw new NotPlain();
        }
        return value;
    }

    private static int integer(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new NotPlain();
        }
        return p.getIntValue();
    }

    private static long whole(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new NotPlain();
        }
        return p.getLongValue();
    }

    private static double number(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new NotPlain();
        }
        return p.getDoubleValue();
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new NotPlain();
        }
        return p.getText();
    }

    /** The record is valid JSON but not in the plain form: leave it to EventJson. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }
}
