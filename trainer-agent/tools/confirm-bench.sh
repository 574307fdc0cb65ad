#!/bin/sh
# What confirming the pick buys: sweep → pick → confirm runs at ×0.3, ×1, ×3 (ranked by the
# analyzer's code) vs a log-spaced grid of 9 LRs (1e-4 … 1) trained with the same warmup +
# cosine schedule and budget. Prints key=value lines (bench=confirm per seed,
# bench=confirm-summary per model and optimizer); fractions of the grid's best, goal >= 0.95.
#   tools/confirm-bench.sh [optimizers=sgd,adamw] [seeds=42,7,123] [steps=300]
#                          [models=digits-mlp,char-lm]
# Run from trainer-agent/; needs the events and analyzer jars installed (mvn -o install).
set -eu
OPTS=${1:-sgd,adamw}; SEEDS=${2:-42,7,123}; STEPS=${3:-300}; MODELS=${4:-digits-mlp,char-lm}
export OMP_NUM_THREADS=1
cd .. && mvn -B -q -o -pl trainer-agent test-compile surefire:test -Dtest=ConfirmBench \
    -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
    -Dbench.opts="$OPTS" -Dbench.seeds="$SEEDS" -Dbench.steps="$STEPS" \
    -Dbench.models="$MODELS" 2>&1 | grep -E '^bench='
