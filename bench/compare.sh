#!/usr/bin/env bash
# Generator cost side by side (`make bench`): surge and its peers (wrk, h2load, ab, hey, autocannon) against the
# same targets (nginx with one worker, `surge serve`), same connections and duration, target pinned to core 0 and
# generator to core 1, interleaved repetitions; then a constant-rate section (surge, hey -q, autocannon -R).
# Prints requests/s, CPU µs per request (user + sys of the generator from wait4), peak RSS and surge's ratio to
# each peer. Peers that are missing are left out with a message (bench/install-peers.sh installs them all).
#   bench/compare.sh [--duration 5] [--connections 50] [--reps 3] [--rate 10000] [--peers wrk,ab] [--targets nginx]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
bench/install-peers.sh
exec python3 -B bench/compare.py --surge build/surge "$@"
