package io.lrscope.analyzer.advice;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lrscope.events.EventJson;
import io.lrscope.events.Recommendation.CommunityDefault;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Well-known learning rates of public fine-tuning recipes, each with its source, so a measured
 * pick can be shown beside what the community uses for the same model family. The catalog is
 * the resource {@code community-defaults.json}; a model matches an entry when its lower-cased
 * name contains one of the entry's patterns.
 */
public final class CommunityDefaults {

    /** One catalog entry. */
    public record Entry(
            String model,
            List<String> patterns,
            double lr,
            String optimizer,
            String source,
            String note) {

        CommunityDefault asDefault() {
            return new CommunityDefault(model, lr, optimizer, source, note);
        }
    }

    private static final List<Entry> CATALOG = load();

    private CommunityDefaults() {}

    public static List<Entry> all() {
        return CATALOG;
    }

    /** The first entry whose pattern occurs in {@code model}, ignoring case and separators. */
    public static Optional<CommunityDefault> find(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String key = normalize(model);
        return CATALOG.stream()
                .filter(e -> e.patterns().stream().anyMatch(p -> key.contains(normalize(p))))
                .findFirst()
                .map(Entry::asDefault);
    }

    private static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[\\s_.-]", "");
    }

    private static List<Entry> load() {
        try (InputStream in =
                CommunityDefaults.class.getResourceAsStream("community-defaults.json")) {
            if (in == null) {
                throw new IllegalStateException("bug: community-defaults.json is not packaged");
            }
            return List.copyOf(EventJson.MAPPER.readValue(in, new TypeReference<List<Entry>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException("bug: community-defaults.json is unreadable", e);
        }
    }
}
