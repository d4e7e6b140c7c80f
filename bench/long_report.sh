#!/usr/bin/env bash
# Memory of writing the reports of a long run: a 12 s run of the soak's plan (soak_plan.sh: 3 scenarios, 9
# steps) against `surge serve` (results.json with its time series), its rows repeated to SECONDS rows
# (default 86,400: a day), then `surge report` of that file to each output kind under GNU time: peak RSS and
# wall time per kind.
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

. bench/soak_plan.sh
start_serve "$surge" "$work"
write_soak_plan "$work/plan.yaml" "$addr" 12s 500
"$surge" run "$work/plan.yaml" --workers 2 --quiet --out json="$work/short.json" > /dev/null
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
