#!/usr/bin/env bash
# Generator cost side by side: surge and wrk against the same targets (nginx with one worker, `surge serve`),
# same connections and duration, target pinned to core 0 and generator to core 1, interleaved repetitions.
# Prints requests/s and CPU microseconds per request (user+sys of the generator process tree, from getrusage).
#   bench/compare.sh [--duration 10] [--connections 50] [--reps 3]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
exec python3 bench/compare.py --surge build/surge "$@"
