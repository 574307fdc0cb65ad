#!/bin/sh
# Analyzer throughput vs a plain consumer, same broker and topic, one run; heap for 1,000
# sweeps at once. The broker runs in a JVM of its own; the benchmark JVM runs the producer, the
# plain consumer and the production AnalyzerService (exactly_once_v2) one after the other.
#   analyzer/bench.sh [--sweeps 1000] [--steps 300] [--steps-per-record 1] [--rounds 1]
# Needs the events and embedded-broker modules installed
# (mvn -o install -pl events,embedded-broker -DskipTests). Prints key=value lines; full logs in analyzer/target/bench-*.log.
# BENCH_HEAP=512m sets the benchmark JVM's -Xmx; BENCH_JFR=FILE.jfr records a profile.
set -eu
cd "$(dirname "$0")"
HEAP=${BENCH_HEAP:-512m}
mvn -B -o -q test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
BOOT=target/bench-bootstrap.txt
rm -f "$BOOT"

java -Xmx1g -cp "$CP" io.lrscope.analyzer.bench.BenchBroker "$BOOT" \
    > target/bench-broker.log 2>&1 &
BROKER=$!
trap 'kill "$BROKER" 2>/dev/null || true; wait "$BROKER" 2>/dev/null || true' EXIT
i=0
while [ ! -s "$BOOT" ]; do
    i=$((i + 1))
    if [ "$i" -gt 600 ] || ! kill -0 "$BROKER" 2>/dev/null; then
        echo "broker did not start; see analyzer/target/bench-broker.log" >&2
        exit 1
    fi
    sleep 0.1
done

JFR=""
if [ -n "${BENCH_JFR:-}" ]; then
    JFR="-XX:FlightRecorderOptions=stackdepth=256"
    JFR="$JFR -XX:StartFlightRecording=filename=$BENCH_JFR,settings=profile"
fi
java -Xmx"$HEAP" -XX:+UseG1GC $JFR -cp "$CP" io.lrscope.analyzer.bench.AnalyzerThroughputBench \
    --bootstrap "$(cat "$BOOT")" "$@" > target/bench-run.log 2>&1 || {
    tail -40 target/bench-run.log >&2
    exit 1
}
grep -E '^[a-z0-9_]+=' target/bench-run.log
