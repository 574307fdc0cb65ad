package io.lrscope.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code lrscope} command running as its own OS process (a fresh JVM on this test's class
 * path), so a test can kill it for real. Its stdout and stderr go to one log file under
 * {@code target/process-logs}, which the test reads and a person reads after a failure.
 *
 * <p>{@link #kill()} is SIGKILL: the JVM gets no chance to run shutdown hooks, flush producers or
 * commit anything. Always {@link #close()} in a finally block (or try-with-resources).
 */
final class CliProcess implements AutoCloseable {

    /** What a JVM killed by SIGKILL (signal 9) exits with: 128 + 9. */
    static final int SIGKILL_EXIT = 137;

    private final String name;
    private final Process process;
    private final Path log;

    private CliProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code lrscope ARGS...}; {@code name} names the log file. */
    static CliProcess start(String name, List<String> args) {
        Path logs = Path.of(System.getProperty("lrscope.process.logs", "target/process-logs"));
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.lrscope.cli.Main");
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("OMP_NUM_THREADS", "1");
            Files.writeString(log, "$ lrscope " + String.join(" ", args) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
            return new CliProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start lrscope " + args, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return log;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the log has a line matching {@code regex}; returns its first group or line. */
    String awaitLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(log());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue()
                        + " before logging /" + regex + "/; log " + log + ":\n" + tail());
            }
            sleep(100);
        }
        throw new AssertionError(name + " did not log /" + regex + "/ within " + timeout
                + "; log " + log + ":\n" + tail());
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit code. */
    int kill() {
        process.destroyForcibly();
        return waitFor(Duration.ofSeconds(30)).orElseThrow(
                () -> new AssertionError(name + " survived SIGKILL for 30 s"));
    }

    Optional<Integer> waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? Optional.of(process.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The last lines of the log, for assertion messages. */
    String tail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM, a few seconds for shutdown hooks, then SIGKILL. Safe to call twice. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (waitFor(Duration.ofSeconds(15)).isEmpty()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(15));
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
