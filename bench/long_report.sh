#!/usr/bin/env bash
# Memory of writing the reports of a long run: a 12 s run of a 3-scenario, 8-step plan against `surge serve`
# (results.json with its time series), its rows repeated to SECONDS rows (default 86,400: a day), then
# `surge report` of that file to each output kind under GNU time: peak RSS and wall time per kind.
#   bench/long_report.sh [SECONDS]      SURGE=path/to/surge picks the binary (default build/surge)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-86400}
surge=${SURGE:-build/surge}
[ -x "$surge" ] || make -s build >/dev/null
work=$(mktemp -d)
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$surge" serve --port 0 > "$work/serve.out" &
serve_pid=$!
until grep -q listening "$work/serve.out"; do sleep 0.05; done
addr=$(sed -n 's/listening on //p' "$work/serve.out")
cat > "$work/plan.yaml" <<PLAN
name: long
target: http://$addr
phases:
  - { name: steady, duration: 12s, arrival_rate: 500/s, max_users: 400 }
scenarios:
  - name: api
    weight: 80
    steps:
      - http: { method: POST, url: /v1/login, json: { user: "u{{ vu.id }}" }, capture: { token: "\$.token" } }
      - http: { url: /v1/whoami, headers: { Authorization: "Bearer {{ token }}" } }
      - http: { url: "/json?i={{ iteration }}" }
  - name: ws
    weight: 15
    steps:
      - ws: { connect: /ws }
      - ws: { send: "hello", expect: { contains: hello } }
      - ws: { close: 1000 }
  - name: mcp
    weight: 5
    steps:
      - mcp: { initialize: { client: long } }
      - mcp: { call: echo, arguments: { message: hi } }
      - mcp: { close: true }
PLAN
"$surge" run "$work/plan.yaml" --quiet --out json="$work/short.json" > /dev/null
python3 - "$work/short.json" "$work/long.json" "$seconds" <<'PY'
import json, sys
short, path, count = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
rows = [r for r in short.pop("timeseries") if r.get("requests", 0) > 0][1:-1]  # whole seconds under load
with open(path, "w") as f:
    f.write(json.dumps(short, indent=2)[:-2] + ',\n  "timeseries": [\n')
    for i in range(count):
        row = dict(rows[i % len(rows)], t_s=i + 1)
        f.write(("    " if i == 0 else ",\n    ") + json.dumps(row))
    f.write("\n  ]\n}\n")
PY
echo "results.json of $seconds seconds: $(du -m "$work/long.json" | cut -f1) MB"
for kind in json csv html hlog; do
  /usr/bin/time -f "$kind: peak RSS %M kB, %e s" "$surge" report "$work/long.json" --out "$kind=$work/out.$kind" 2>&1 |
    tail -1
  rm -f "$work/out.$kind"
done
