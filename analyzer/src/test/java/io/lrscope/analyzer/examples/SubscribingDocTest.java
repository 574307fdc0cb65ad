package io.lrscope.analyzer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SubscribingDocTest {

    @Test
    void subscribingGuideShowsTheCompiledExampleVerbatim() throws Exception {
        String example = Files.readString(Path.of(
                "src/test/java/io/lrscope/analyzer/examples/RecommendationSubscriber.java"));
        String guide = Files.readString(Path.of("SUBSCRIBING.md"));

        assertThat(guide).contains("```java\n" + example + "```");
    }
}
