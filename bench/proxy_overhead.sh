#!/usr/bin/env bash
# Proxy overhead with no fault active: latency p50/p99 of a fixed-rate run straight to `surge serve` and through
# `surge proxy`, interleaved (direct, proxied, direct, ...), plus the proxy's CPU per request. The target and the
# proxy are pinned to their own cores; the generator shares the proxy's core (2-core machines have no third).
#   bench/proxy_overhead.sh [DURATION_S] [REPS] [RATE_PER_S]      (defaults: 10 s, 3 repetitions, 2000/s)
#   SURGE=path/to/surge  TARGET_CPU=0 PROXY_CPU=1 GENERATOR_CPU=1  override the binary and the pinning
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
reps=${2:-3}
rate=${3:-2000}
surge=${SURGE:-./build/surge}
if [ -z "${SURGE:-}" ]; then make -s build >/dev/null; fi
target_cpu=${TARGET_CPU:-0}
proxy_cpu=${PROXY_CPU:-1}
generator_cpu=${GENERATOR_CPU:-1}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

wait_for_line() {  # file prefix -> the rest of the first line starting with prefix
  until grep -q "^$2" "$1" 2>/dev/null; do sleep 0.05; done
  sed -n "s/^$2//p" "$1" | head -1
}

taskset -c "$target_cpu" "$surge" serve --port 0 > "$work/serve.out" &
pids+=($!)
target=$(wait_for_line "$work/serve.out" "listening on ")
taskset -c "$proxy_cpu" "$surge" proxy --listen 127.0.0.1:0 --upstream "$target" > "$work/proxy.out" &
proxy_pid=$!
pids+=($proxy_pid)
proxied=$(wait_for_line "$work/proxy.out" "listening on ")

proxy_cpu_ticks() { awk '{print $14 + $15}' "/proc/$proxy_pid/stat"; }

run_once() {  # address label rep
  taskset -c "$generator_cpu" "$surge" run --url "http://$1/" --rate "${rate}/s" -c 20 -d "${duration}s" \
    --workers 1 --quiet --out json="$work/$2-$3.json" > /dev/null
}

for rep in $(seq 1 "$reps"); do
  run_once "$target" direct "$rep"
  before=$(proxy_cpu_ticks)
  run_once "$proxied" proxied "$rep"
  after=$(proxy_cpu_ticks)
  echo "$((after - before))" > "$work/proxied-$rep.ticks"
done

python3 - "$work" "$reps" "$(getconf CLK_TCK)" "$rate" "$duration" <<'PY'
import json, statistics, sys
work, reps, hz, rate, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
def load(label, rep):
    return json.load(open(f"{work}/{label}-{rep}.json"))
rows = {"direct": [], "proxied": []}
cpu_us = []
for rep in range(1, reps + 1):
    for label in rows:
        r = load(label, rep)
        rows[label].append((r["latency_ms"]["p50"], r["latency_ms"]["p99"], r["requests"]["total"], r["requests"]["errors"]))
    ticks = int(open(f"{work}/proxied-{rep}.ticks").read())
    cpu_us.append(ticks / hz * 1e6 / max(rows["proxied"][-1][2], 1))
print(f"rate {rate}/s, {duration} s per run, {reps} repetitions (median of the runs; latency in ms)")
for rep in range(reps):
    d, p = rows["direct"][rep], rows["proxied"][rep]
    print(f"  run {rep + 1}: direct p50/p99 {d[0]:.3f}/{d[1]:.3f}, proxied {p[0]:.3f}/{p[1]:.3f}, proxy CPU {cpu_us[rep]:.1f} us/request")
print(f"{'path':<9} {'p50':>8} {'p99':>8} {'requests':>9} {'errors':>7}")
med = {}
for label, values in rows.items():
    med[label] = [statistics.median(v[i] for v in values) for i in range(4)]
    p50, p99, total, errors = med[label]
    print(f"{label:<9} {p50:>8.3f} {p99:>8.3f} {total:>9.0f} {errors:>7.0f}")
print(f"added by the proxy: p50 {1000 * (med['proxied'][0] - med['direct'][0]):+.1f} us, "
      f"p99 {1000 * (med['proxied'][1] - med['direct'][1]):+.1f} us")
print(f"proxy CPU per request: {statistics.median(cpu_us):.1f} us (min {min(cpu_us):.1f}, max {max(cpu_us):.1f})")
PY
