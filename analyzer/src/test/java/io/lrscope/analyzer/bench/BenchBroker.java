package io.lrscope.analyzer.bench;

import io.lrscope.broker.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded broker in a JVM of its own for {@code bench.sh}, so the benchmark's client JVM
 * does not share a heap or GC with the broker. Writes its bootstrap address to the file given
 * as the first argument once ready and stops (deleting its temporary data) on SIGTERM.
 */
public final class BenchBroker {

    private BenchBroker() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: BenchBroker BOOTSTRAP_FILE");
        }
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "bench-broker-stop"));
        Path file = Path.of(args[0]);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, kafka.bootstrapServers(), StandardCharsets.UTF_8);
        Files.move(partial, file);
        Thread.currentThread().join();
    }
}
