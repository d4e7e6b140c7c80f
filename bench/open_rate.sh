#!/usr/bin/env bash
# Open-model rate accuracy and generator cost: surge runs an arrival_rate phase against `surge serve --workers 2`
# and this prints the planned arrivals, what the target counted, the error in %, dropped iterations, and the
# generator's CPU per request.   bench/open_rate.sh [DURATION_S] [RATE...]   (defaults: 10 s, 10000 50000)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
duration=${1:-10}; shift || true
rates=("${@:-10000 50000}")
work=$(mktemp -d)
./build/surge serve --port 0 --workers 2 > "$work/serve.out" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q listening "$work/serve.out"; do sleep 0.05; done
addr=$(sed -n 's/listening on //p' "$work/serve.out")
printf '%-10s %-10s %-10s %-9s %-9s %-14s %s\n' rate/s planned counted error% dropped "CPU us/req" "latency p50/p99 ms"
for rate in ${rates[@]}; do
  before=$(curl -s "http://$addr/__surge/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests_total"])')
  cat > "$work/plan.yaml" <<PLAN
name: open-rate
target: http://$addr
phases: [ { name: open, duration: ${duration}s, arrival_rate: ${rate}/s, max_users: 2000 } ]
scenarios: [ { name: s, steps: [ { http: { url: / } } ] } ]
PLAN
  ./build/surge run "$work/plan.yaml" --quiet --out json="$work/r.json" > /dev/null || true
  after=$(curl -s "http://$addr/__surge/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests_total"])')
  python3 - "$work/r.json" "$rate" "$duration" "$before" "$after" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); rate, dur = float(sys.argv[2]), float(sys.argv[3])
counted = int(sys.argv[5]) - int(sys.argv[4]); planned = rate * dur
lat = r.get("latency_ms", {})
print(f"{rate:<10.0f} {planned:<10.0f} {counted:<10d} {100*(counted-planned)/planned:<9.2f} {r.get('dropped_iterations',0):<9d} "
      f"{r['generator']['cpu_s']*1e6/max(r['requests']['total'],1):<14.2f} {lat.get('p50',0):.2f}/{lat.get('p99',0):.2f}")
PY
done
