package io.lrscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lrscope.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks it against the code: the
 * services exist, Kafka is the official image in KRaft mode, every {@code LRSCOPE_*} variable a
 * service sets is one its subcommand reads (taken from picocli's model, not from a list kept by
 * hand), every command line parses, and the Dockerfile builds the jar the entrypoint runs.
 */
class ComposeFileTest {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(LRSCOPE_[A-Z_]+)");

    private final Path root = Path.of(System.getProperty("lrscope.repo.root", ".."));

    @Test
    void composeFileNamesTheFourServicesAndTheOfficialKafkaImageInKraftMode() throws IOException {
        JsonNode services = compose().get("services");

        assertThat(fieldNames(services)).containsExactlyInAnyOrder(
                "kafka", "analyzer", "dashboard", "agent");
        JsonNode kafka = services.get("kafka");
        assertThat(kafka.get("image").asText()).startsWith("apache/kafka:");
        assertThat(kafka.at("/environment/KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
        assertThat(kafka.at("/environment/KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("//kafka:9092");
    }

    @Test
    void everyLrscopeVariableInTheComposeFileIsReadByItsSubcommand() throws IOException {
        JsonNode services = compose().get("services");
        Map<String, Set<String>> readBy = envVariablesPerSubcommand();

        for (String name : List.of("analyzer", "dashboard", "agent")) {
            JsonNode service = services.get(name);
            List<String> command = strings(service.get("command"));
            String subcommand = command.get(0);
            assertThat(readBy).as("subcommands of lrscope").containsKey(subcommand);

            for (String variable : fieldNames(service.get("environment"))) {
                if (!variable.startsWith("LRSCOPE_")) {
                    continue;
                }
                assertThat(readBy.get(subcommand))
                        .as("service %s sets %s; lrscope %s reads", name, variable, subcommand)
                        .contains(variable);
            }
            assertThat(service.at("/environment/LRSCOPE_BOOTSTRAP").asText())
                    .as(name + " bootstrap").isEqualTo("kafka:9092");
            assertThat(service.at("/build/dockerfile").asText()).isEqualTo("docker/Dockerfile");
            // picocli rejects unknown options and bad values here, as the container would
            new CommandLine(new Main()).parseArgs(command.toArray(String[]::new));
        }
        assertThat(services.at("/dashboard/environment/LRSCOPE_HOST").asText())
                .isEqualTo("0.0.0.0");
        String port = services.at("/dashboard/environment/LRSCOPE_PORT").asText();
        assertThat(strings(services.at("/dashboard/ports")))
                .anySatisfy(p -> assertThat(p).endsWith(":" + port));
    }

    @Test
    void dockerfileRunsTheLauncherJarWithItsLibFolder() throws IOException {
        String dockerfile = Files.readString(root.resolve("docker/Dockerfile"));

        assertThat(dockerfile)
                .contains("mvn -B -DskipTests package")
                .contains("launcher/target/lrscope.jar")
                .contains("launcher/target/lib/")
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"lrscope.jar\"]");
        assertThat(Files.exists(root.resolve("launcher/pom.xml"))).isTrue();
        assertThat(Files.readString(root.resolve("launcher/pom.xml")))
                .contains("<finalName>lrscope</finalName>")
                .contains("<classpathPrefix>lib/</classpathPrefix>");
    }

    /**
     * Subcommand name → the LRSCOPE_* variables its options default from (uninterpolated
     * {@code ${env:...}} defaults in picocli's model), plus the one logback.xml reads.
     */
    private static Map<String, Set<String>> envVariablesPerSubcommand() throws IOException {
        Set<String> everywhere = new TreeSet<>();
        try (InputStream logback = Main.class.getResourceAsStream("/logback.xml")) {
            String config = new String(logback.readAllBytes(), StandardCharsets.UTF_8);
            if (config.contains("${LRSCOPE_LOG_LEVEL")) {
                everywhere.add("LRSCOPE_LOG_LEVEL");
            }
        }
        Map<String, Set<String>> out = new TreeMap<>();
        CommandLine cli = new CommandLine(new Main()).setInterpolateVariables(false);
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            Set<String> variables = new TreeSet<>(everywhere);
            CommandSpec spec = sub.getValue().getCommandSpec();
            for (OptionSpec option : spec.options()) {
                if (option.defaultValue() != null) {
                    Matcher m = ENV_DEFAULT.matcher(option.defaultValue());
                    while (m.find()) {
                        variables.add(m.group(1));
                    }
                }
            }
            out.put(sub.getKey(), variables);
        }
        return out;
    }

    private JsonNode compose() throws IOException {
        return new YAMLMapper().readTree(root.resolve("docker-compose.yml").toFile());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
