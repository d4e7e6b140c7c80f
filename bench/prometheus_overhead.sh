#!/usr/bin/env bash
# What the Prometheus exporter costs the generator: CPU per request of `surge run` with --prometheus on and
# scraped every second, against the same run with it off. Target (`surge serve`) and scraper on core 0, the
# generator alone on core 1 (like bench/compare.sh); off and on runs interleaved, medians reported.
# CPU is results.json's generator.cpu_s (coordinator + workers: the exporter runs in the coordinator).
#   bench/prometheus_overhead.sh [--duration 10] [--connections 50] [--reps 5] [--scraper curl|prometheus]
# BUILD_DIR=DIR uses DIR/surge as it is (no `make build`), e.g. a build tree of your own.
# Budget (issue 6): on/off growth of CPU per request below 3%.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10 connections=50 reps=5 scraper=curl
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --scraper) scraper=$2; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--connections C] [--reps N] [--scraper curl|prometheus]" >&2; exit 2 ;;
  esac
done
for tool in taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "prometheus_overhead: '$tool' is missing" >&2; exit 1; }
done
[[ $scraper == prometheus ]] && ! command -v prometheus >/dev/null && { echo "prometheus is missing: run scripts/install-deps.sh" >&2; exit 1; }
if [[ -n ${BUILD_DIR:-} ]]; then surge=$BUILD_DIR/surge; else make -s build >/dev/null; surge=build/surge; fi

work=$(mktemp -d /tmp/surge-bench-prom-XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

taskset -c 0 "$surge" serve --port 0 >"$work/serve.out" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
target=$(sed -n 's/^listening on //p' "$work/serve.out")
metrics_port=$(free_port)

# The scraper runs for the whole bench; during "off" runs nothing listens, so its scrapes fail at once.
if [[ $scraper == prometheus ]]; then
  web_port=$(free_port)
  mkdir -p "$work/tsdb"
  printf 'global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: surge\n    static_configs: [{ targets: ["127.0.0.1:%s"] }]\n' \
    "$metrics_port" >"$work/prometheus.yml"
  taskset -c 0 prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$web_port" --log.level=error 2>"$work/prometheus.log" &
  pids+=($!)
else
  (while sleep 1; do taskset -c 0 curl -s -o "$work/scrape.txt" "http://127.0.0.1:$metrics_port/metrics" || true; done) &
  pids+=($!)
fi

# CPU seconds of one process's main thread (the coordinator is single-threaded), not its children, from
# /proc/PID/schedstat: nanoseconds on the CPU, where /proc/PID/stat only counts 10 ms ticks.
own_cpu_s() { awk '{ printf "%.6f\n", $1 / 1e9 }' "/proc/$1/schedstat" 2>/dev/null; }

# run MODE REP: one generator run; prints "requests cpu_s coordinator_cpu_s". The coordinator (the `surge run`
# process itself, where the exporter lives) is sampled every 0.1 s until it exits: its own CPU isolates the
# exporter's cost from the workers', which the machine's other load disturbs far more.
run() {
  local json="$work/$1-$2.json" extra=() pid coordinator=0 now
  [[ $1 == on ]] && extra=(--prometheus "127.0.0.1:$metrics_port")
  taskset -c 1 "$surge" run --url "http://$target/" -c "$connections" -d "${duration}s" --workers 1 --quiet \
    --out "json=$json" "${extra[@]}" >/dev/null &
  pid=$!
  while now=$(own_cpu_s "$pid") && [[ -n $now ]]; do coordinator=$now; sleep 0.1; done
  wait "$pid"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["requests"]["total"], "%.6f" % r["generator"]["cpu_s"], sys.argv[2])' "$json" "$coordinator"
}

echo "# $(hostname), $(nproc) cores, $connections connections, ${duration}s per run, $reps interleaved reps, scraper: $scraper"
printf '%-4s %-4s %10s %10s %11s %14s\n' rep mode requests cpu_s coord_cpu_s 'CPU us/req'
: >"$work/samples"
for rep in $(seq "$reps"); do
  for mode in off on; do
    read -r requests cpu coordinator < <(run "$mode" "$rep")
    us=$(python3 -c "print(f'{$cpu * 1e6 / $requests:.3f}')")
    printf '%-4s %-4s %10s %10s %11s %14s\n' "$rep" "$mode" "$requests" "$cpu" "$coordinator" "$us"
    echo "$mode $us $coordinator $requests" >>"$work/samples"
  done
done
python3 - "$work/samples" <<'EOF'
import statistics, sys
us = {"off": [], "on": []}
coordinator = {"off": [], "on": []}
requests = {"off": [], "on": []}
for line in open(sys.argv[1]):
    mode, per_request, coord, n = line.split()
    us[mode].append(float(per_request))
    coordinator[mode].append(float(coord))
    requests[mode].append(int(n))
# Other load on the machine only ever adds CPU time, so the minimum is the least disturbed figure.
for name, pick in (("median", statistics.median), ("min", min)):
    off, on = pick(us["off"]), pick(us["on"])
    print(f"{name} CPU us/request: off {off:.3f}, on {on:.3f}; growth {100 * (on / off - 1):+.2f}% (budget < 3%)")
# The exporter's own cost: the coordinator's extra CPU with it on, spread over the run's requests.
extra_s = statistics.median(coordinator["on"]) - statistics.median(coordinator["off"])
per_request_us = extra_s * 1e6 / statistics.median(requests["on"])
print(f"coordinator CPU (median): off {statistics.median(coordinator['off']):.4f} s, "
      f"on {statistics.median(coordinator['on']):.4f} s; exporter {per_request_us:.4f} us/request = "
      f"{100 * per_request_us / statistics.median(us['off']):.2f}% of the generator's CPU per request")
EOF
[[ -s $work/scrape.txt ]] && echo "last scrape: $(wc -c <"$work/scrape.txt") bytes, $(grep -vc '^#' "$work/scrape.txt") samples"
exit 0
