#!/usr/bin/env bash
# What scenario features cost the generator: CPU per request (user + system of the surge run, from results.json
# generator.cpu_s) for the same closed-loop load against `surge serve`, one worker pinned to core 0 and the
# target to core 1, REPS repetitions each, printed side by side with the ratio to quick mode:
#   quick       surge run --url .../json                      (one static request)
#   static      a 3-step scenario of static requests
#   templated   the same 3 steps with a template in the URL, a header and a JSON body
#   checked     templated, plus a capture and JSON/contains checks on every response
#   ws          WebSocket messages: send + expect the echo on serve's /ws (CPU per message)
# Usage: bench/scenario_cost.sh [DURATION_S] [REPS] [USERS]   (defaults 10, 3, 10)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
duration=${1:-10}; reps=${2:-3}; users=${3:-10}
work=$(mktemp -d)
taskset -c 1 ./build/surge serve --port 0 > "$work/serve.out" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q listening "$work/serve.out"; do sleep 0.05; done
addr=$(sed -n 's/listening on //p' "$work/serve.out")

head="target: http://$addr
phases: [ { name: load, duration: ${duration}s, users: $users } ]"
cat > "$work/static.yaml" <<PLAN
$head
scenarios:
  - name: s
    steps:
      - http: { name: a, url: /json }
      - http: { name: b, url: "/json?page=1", headers: { X-Trace: abc } }
      - http: { name: c, method: POST, url: /echo, json: { prompt: hello } }
PLAN
cat > "$work/templated.yaml" <<PLAN
$head
scenarios:
  - name: s
    steps:
      - http: { name: a, url: "/json?user={{ vu.id }}" }
      - http: { name: b, url: "/json?page={{ iteration }}", headers: { X-Trace: "{{ random.string(16) }}" } }
      - http: { name: c, method: POST, url: /echo, json: { prompt: "{{ random.word }} {{ uuid }}" } }
PLAN
cat > "$work/checked.yaml" <<PLAN
$head
scenarios:
  - name: s
    steps:
      - http: { name: a, url: "/json?user={{ vu.id }}", capture: { name: "\$.name" } }
      - http: { name: b, url: "/json?page={{ iteration }}", headers: { X-Trace: "{{ name }}" }, expect: { json_exists: "\$.name" } }
      - http: { name: c, method: POST, url: /echo, json: { prompt: "{{ random.word }} {{ uuid }}" }, expect: { contains: prompt } }
PLAN
cat > "$work/ws.yaml" <<PLAN
$head
scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - loop: { count: 100000, steps: [ { ws: { name: echo, send: 'hello {{ vu.id }}', expect: { contains: hello } } } ] }
PLAN

run() {  # $1: label, rest: surge run arguments; prints CPU us per request (or per ws message)
  taskset -c 0 ./build/surge run "${@:2}" --workers 1 --quiet --out json="$work/r.json" > /dev/null || true
  python3 - "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); total = r["requests"]["total"]
print(f'{r["generator"]["cpu_s"] * 1e6 / max(total, 1):.2f} {total / r["duration_s"]:.0f}')
PY
}

declare -A cpu rate
for label in quick static templated checked ws; do cpu[$label]=""; done
for rep in $(seq 1 "$reps"); do
  for label in quick static templated checked ws; do
    if [ "$label" = quick ]; then out=$(run quick --url "http://$addr/json" -c "$users" -d "${duration}s")
    else out=$(run "$label" "$work/$label.yaml"); fi
    cpu[$label]+="${out% *} "; rate[$label]+="${out#* } "
  done
done
printf '%-10s %-28s %-12s %-14s %s\n' variant "CPU us/request (each rep)" median "vs quick" "requests/s (median)"
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${cpu[quick]}" | median)
for label in quick static templated checked ws; do
  m=$(echo "${cpu[$label]}" | median); r=$(echo "${rate[$label]}" | median)
  printf '%-10s %-28s %-12s %-14s %s\n' "$label" "${cpu[$label]}" "$m" "$(python3 -c "print(f'{$m/$base:.2f}x')")" "$r"
done
echo "(ws: per message round trip: one send and its echo; machine: $(nproc) cores, $(uname -r))"
