package io.lrscope.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), started
 * inside the JVM for {@code lrscope demo} and for tests. It listens on loopback only.
 *
 * <p>With no data dir it uses a temporary folder that {@link #close()} deletes; with one, the
 * storage is formatted once and reused, so a restarted broker keeps its topics and records.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;

    private EmbeddedKafka(
            KafkaRaftServer server, Path dataDir, boolean temporary, int port, int controllerPort) {
        this.server = server;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on free loopback ports in a temporary folder. */
    public static EmbeddedKafka start() {
        return start(null, 0);
    }

    /** Starts a broker whose storage lives in {@code dataDir} (null: a temporary folder). */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts a broker; {@code port} 0 picks a free one. Reusing a data dir with its old port
     * lets clients that remember the address reconnect after a restart.
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        boolean temporary = dataDir == null;
        try {
            Path dir = temporary ? Files.createTempDirectory("lrscope-kafka-") : dataDir;
            Files.createDirectories(dir);
            Properties remembered = rememberedPorts(dir);
            int brokerPort = port > 0 ? port : portOrFree(remembered, "port");
            int controllerPort = portOrFree(remembered, "controllerPort");
            String clusterId =
                    remembered.getProperty("clusterId", Uuid.randomUuid().toString());
            remember(dir, brokerPort, controllerPort, clusterId);
            Properties props = properties(dir, brokerPort, controllerPort);
            format(dir, props, clusterId);

            long started = System.nanoTime();
            KafkaRaftServer server =
                    new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka =
                    new EmbeddedKafka(server, dir, temporary, brokerPort, controllerPort);
            kafka.awaitReady();
            log.info(
                    "kafka ready bootstrap={} dataDir={} startMillis={}",
                    kafka.bootstrapServers(),
                    dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data dir", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            deleteRecursively(dataDir);
        }
        log.info("kafka stopped bootstrap={}", bootstrapServers());
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "Kafka did not become ready within " + READY_TIMEOUT, e);
                    }
                }
                sleep(100);
            }
        }
    }

    private static Properties properties(Path dir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("metadata.log.dir", dir.resolve("metadata").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", "1000000");
        p.put("log.cleaner.backoff.ms", "1000");
        return p;
    }

    private static void format(Path dir, Properties props, String clusterId)
            throws IOException {
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "lrscope embedded broker");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            int rc =
                    kafka.tools.StorageTool.execute(
                            new String[] {
                                "format", "-t", clusterId,
                                "-c", file.toString(), "--ignore-formatted"
                            },
                            out);
            if (rc != 0) {
                throw new IllegalStateException(
                        "formatting Kafka storage failed (exit " + rc + "): " + captured);
            }
        }
    }

    /** A reused data dir keeps its cluster id and ports, so clients find it again. */
    private static Properties rememberedPorts(Path dir) throws IOException {
        Properties ports = new Properties();
        Path file = dir.resolve("lrscope-broker.properties");
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                ports.load(in);
            }
        }
        return ports;
    }

    private static void remember(Path dir, int port, int controllerPort, String clusterId)
            throws IOException {
        Properties ports = new Properties();
        ports.setProperty("clusterId", clusterId);
        ports.setProperty("port", Integer.toString(port));
        ports.setProperty("controllerPort", Integer.toString(controllerPort));
        try (OutputStream out = Files.newOutputStream(dir.resolve("lrscope-broker.properties"))) {
            ports.store(out, "ports of the lrscope embedded broker using this dir");
        }
    }

    private static int portOrFree(Properties remembered, String key) throws IOException {
        String value = remembered.getProperty(key);
        return value != null ? Integer.parseInt(value) : freePort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete temporary Kafka dir={} error={}", dir, e.toString());
        }
    }
}
