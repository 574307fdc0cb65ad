#!/bin/sh
# Side-by-side speed and semantics check: the agent's training loop vs a plain PyTorch loop
# (/work/shared/bench/torch_reference.py, or $TORCH_REFERENCE) on the same start weights, data,
# ramp, batch, optimizer and one thread, run back to back because the machine is shared; then
# the cost of publishing: the training thread's time per step with events going to an embedded
# Kafka broker vs to a no-op sink, and the publisher thread's CPU.
#   tools/bench.sh [batch=32] [opt=sgd|adamw] [steps=100]
#   PUBLISH=0 skips the broker part; ONLY_PUBLISH=1 runs nothing else;
#   STEPS_PER_RECORD=16 (1: one StepObserved per step); PUBLISHER=sync measures the old path
#   (encode and send on the training thread); PUBLISH_RUNS=15 interleaved on/off pairs.
# Run from trainer-agent/ after `mvn -o -pl trainer-agent test-compile` (needs Maven offline).
set -eu
BATCH=${1:-32}; OPT=${2:-sgd}; STEPS=${3:-100}
REF=${TORCH_REFERENCE:-/work/shared/bench/torch_reference.py}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export OMP_NUM_THREADS=1
ONLY=${ONLY_PUBLISH:-0}

agent() {
    (cd .. && mvn -B -q -o -pl trainer-agent surefire:test -Dtest=SweepBenchmark \
        -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
        -Dbench.batch="$BATCH" -Dbench.opt="$OPT" -Dbench.steps="$STEPS" "$@" \
        -Dbench.stepsPerRecord="${STEPS_PER_RECORD:-16}" \
        -Dbench.publisher="${PUBLISHER:-async}" -Dbench.publishRuns="${PUBLISH_RUNS:-15}" \
        -Dbench.publish="$([ "${PUBLISH:-1}" = 0 ] && echo false || echo true)" 2>&1 \
        | grep -E '^(side=|first_losses=)')
}

if [ "$ONLY" = 1 ]; then
    agent -Dbench.onlyPublish=true
    exit 0
fi
torch_out=$(/usr/bin/python3 "$REF" --batch "$BATCH" --opt "$OPT" --steps "$STEPS" \
    --warmup 20 --runs 5 --start-lr 1e-7 --end-lr 1 --save-init "$WORK/init.csv")
echo "$torch_out"
agent_out=$(agent -Dbench.init="$WORK/init.csv")
echo "$agent_out"
torch_rate=$(echo "$torch_out" | sed -n 's/.* steps_per_s=\([0-9.]*\).*/\1/p')
torch_cpu=$(echo "$torch_out" | sed -n 's/.* cpu_steps_per_s=\([0-9.]*\).*/\1/p')
agent_rate=$(echo "$agent_out" | sed -n 's/^side=djl-loop.* steps_per_s=\([0-9.]*\) cpu.*/\1/p')
agent_cpu=$(echo "$agent_out" | sed -n 's/^side=djl-loop.* cpu_steps_per_s=\([0-9.]*\).*/\1/p')
echo "ratio djl-loop/pytorch wall=$(echo "$agent_rate $torch_rate" | awk '{printf "%.2f", $1/$2}')" \
    "cpu=$(echo "$agent_cpu $torch_cpu" | awk '{printf "%.2f", $1/$2}')"
