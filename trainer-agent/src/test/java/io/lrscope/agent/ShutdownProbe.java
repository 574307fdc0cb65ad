package io.lrscope.agent;

import io.lrscope.events.EventJson;
import io.lrscope.events.SweepEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process for {@link SweepShutdownTest}: runs a very long sweep whose events are appended to
 * the file given as the first argument, one JSON line each, until the process is signalled. A
 * second argument puts a {@link SweepPublisher} with that many steps per record in front.
 */
public final class ShutdownProbe {

    private ShutdownProbe() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        SweepSettings settings = SweepSettings.defaults().withSweepId("shutdown-probe")
                .withRamp("exponential", 1e-7, 1e-3, 10_000_000);
        SweepSink lines = new SweepSink() {
            @Override
            public void publish(SweepEvent event) {
                try {
                    Files.writeString(file, EventJson.toJson(event) + "\n",
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        if (args.length < 2) {
            new SweepRunner(settings, lines).run();
            return;
        }
        PublishSettings batching = PublishSettings.defaults()
                .withStepsPerRecord(Integer.parseInt(args[1]));
        try (SweepPublisher publisher = new SweepPublisher(lines, batching)) {
            new SweepRunner(settings, publisher).run();
        }
    }
}
