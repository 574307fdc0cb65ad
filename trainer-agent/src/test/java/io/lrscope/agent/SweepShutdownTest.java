package io.lrscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lrscope.events.EventJson;
import io.lrscope.events.StepObserved;
import io.lrscope.events.StepsObserved;
import io.lrscope.events.SweepEnded;
import io.lrscope.events.SweepEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepShutdownTest {

    @TempDir
    Path dir;

    @Test
    void terminationSignalEndsTheSweepStoppedWithItsLastEventPublished() throws Exception {
        List<SweepEvent> events = runUntilSignalled();

        SweepEnded ended = (SweepEnded) events.get(events.size() - 1);
        assertThat(ended.outcome()).isEqualTo(SweepEnded.Outcome.STOPPED);
        assertThat(ended.reason()).isEqualTo("agent shut down by signal");
        assertThat(ended.lastStep()).isEqualTo(events.size() - 3);
    }

    @Test
    void terminationSignalFlushesTheBatchedStepsBeforeSweepEnded() throws Exception {
        List<SweepEvent> events = runUntilSignalled("16");

        SweepEnded ended = (SweepEnded) events.get(events.size() - 1);
        assertThat(ended.reason()).isEqualTo("agent shut down by signal");
        assertThat(events).anyMatch(StepsObserved.class::isInstance);
        assertThat(RecordingSink.expand(events)).extracting(StepObserved::step)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(0, ended.lastStep()).boxed().toList());
    }

    /** Runs {@link ShutdownProbe}, signals it once it has written 20 lines, reads its events. */
    private List<SweepEvent> runUntilSignalled(String... probeArgs) throws Exception {
        Path events = dir.resolve("events.jsonl");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String key : new String[] {"ai.djl.offline", "ai.djl.pytorch.num_threads",
                "ai.djl.pytorch.num_interop_threads", "ENGINE_CACHE_DIR"}) {
            if (System.getProperty(key) != null) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.add(ShutdownProbe.class.getName());
        command.add(events.toString());
        command.addAll(List.of(probeArgs));
        Process agent = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> Files.exists(events) && Files.readAllLines(events).size() > 20);

            agent.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks

            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            agent.destroyForcibly();
        }
        List<SweepEvent> decoded = Files.readAllLines(events).stream()
                .map(line -> EventJson.decodeEvent(line.getBytes(StandardCharsets.UTF_8)))
                .toList();
        assertThat(decoded.get(decoded.size() - 1)).isInstanceOf(SweepEnded.class);
        return decoded;
    }
}
