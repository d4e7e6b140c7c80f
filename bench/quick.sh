#!/usr/bin/env bash
# Regression guard, under 20 s: surge's CPU per request against wrk's, in the same run, against one nginx
# worker (target on core 0, generator on core 1), 3 interleaved repetitions of 2 s each, medians compared.
# Exits 1 when surge's median is above QUICK_MAX_RATIO (1.5) × wrk's: a loose bound that only a big regression
# crosses on a busy machine (the goal, 0.75×, is measured by bench/compare.sh, see docs/performance.md).
#   bench/quick.sh [SURGE_BINARY]      (default: build/surge; the CTest test Bench.quick passes its own)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
surge=${1:-$here/../build/surge}
exec python3 -B "$here/compare.py" --surge "$surge" --targets nginx --peers wrk --duration 2 --reps 3 --rate 0 \
  --max-ratio "${QUICK_MAX_RATIO:-1.5}"
