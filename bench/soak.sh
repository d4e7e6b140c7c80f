#!/usr/bin/env bash
# Soak: surge run for MINUTES at a moderate RATE of iterations/s (about 3 requests each) against `surge serve`,
# with scenarios that exercise what could leak: keep-alive requests, a connection closed and reopened every
# iteration, a capture and a check, a WebSocket session, and an MCP session. Every minute it prints, from
# /proc, the RSS of the workers (where requests live), of the coordinator (which keeps the per-second time
# series of the reports in a temporary file, not in memory), and of the server, and the open fds of each tree.
# At the end it compares the last minute with the second (the first holds start-up) and exits 1 when the
# workers' or the coordinator's RSS grew by more than LEAK_KB, or the generator's fds by more than LEAK_FDS.
#   bench/soak.sh [MINUTES] [RATE]   (defaults: 30 500)
# SURGE=path/to/surge picks the binary (default build/surge, built with `make build` when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
rate=${2:-500}
surge=${SURGE:-build/surge}
leak_kb=${LEAK_KB:-2048}
leak_fds=${LEAK_FDS:-8}
[ -x "$surge" ] || make -s build >/dev/null
work=$(mktemp -d)
serve_pid=""
run_pid=""
cleanup() {
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# RSS (kB) and open fds of a process and its children (their pids, not names).
usage_of_tree() {
  local pids="$1 $(cat /proc/"$1"/task/*/children 2>/dev/null)" rss=0 fds=0 kb
  for pid in $pids; do
    kb=$(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0); rss=$((rss + ${kb:-0}))
    fds=$((fds + $(ls /proc/"$pid"/fd 2>/dev/null | wc -l)))
  done
  echo "$rss $fds"
}
rss_of() { awk '/^VmRSS:/ {print $2}' /proc/"$1"/status 2>/dev/null || echo 0; }

. bench/soak_plan.sh
start_serve "$surge" "$work"
write_soak_plan "$work/soak.yaml" "$addr" "$((minutes * 60 + 30))s" "$rate"
"$surge" run "$work/soak.yaml" --workers 2 --quiet --out json="$work/r.json" > "$work/run.out" 2> "$work/run.err" &
run_pid=$!
sleep 5
echo "minute  workers RSS  coordinator RSS  generator fds  serve RSS  serve fds"
declare -a wrk_rss crd_rss gen_fds srv_rss srv_fds
for ((m = 1; m <= minutes; m++)); do
  sleep 60
  kill -0 "$run_pid" 2>/dev/null || break
  read -r tree_rss gen_fds[m] < <(usage_of_tree "$run_pid")
  crd_rss[m]=$(rss_of "$run_pid")
  wrk_rss[m]=$((tree_rss - crd_rss[m]))
  read -r srv_rss[m] srv_fds[m] < <(usage_of_tree "$serve_pid")
  printf '%6d  %8d kB  %12d kB  %13d  %6d kB  %9d\n' "$m" "${wrk_rss[m]}" "${crd_rss[m]}" "${gen_fds[m]}" \
    "${srv_rss[m]}" "${srv_fds[m]}"
done
last=$((m > minutes ? minutes : m - 1))
wait "$run_pid" || true
run_pid=""
cat "$work/run.err" >&2
python3 - "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
q = r["requests"]
print(f"requests {q['total']:,} ({q['total'] / max(r['duration_s'], 1):,.0f}/s), errors {q['errors']:,} {q['by_error']}, "
      f"dropped iterations {sum(p.get('dropped_iterations', 0) for p in r['phases']):,}")
PY
if [ "$last" -lt 3 ]; then echo "soak: too short to judge growth (needs 3 minutes)"; exit 0; fi
grew_kb=$((wrk_rss[last] - wrk_rss[2])); grew_fds=$((gen_fds[last] - gen_fds[2]))
crd_grew_kb=$((crd_rss[last] - crd_rss[2]))
echo "workers' growth from minute 2 to minute $last: ${grew_kb} kB RSS; generator fds: ${grew_fds} (limits ${leak_kb} kB, ${leak_fds})"
echo "coordinator growth: ${crd_grew_kb} kB in $((last - 2)) minutes," \
  "$((crd_grew_kb * 1024 / ((last - 2) * 60) )) B per second of run (limit ${leak_kb} kB)"
echo "serve growth from minute 2 to minute $last: $((srv_rss[last] - srv_rss[2])) kB RSS, $((srv_fds[last] - srv_fds[2])) fds"
if [ "$grew_kb" -gt "$leak_kb" ] || [ "$crd_grew_kb" -gt "$leak_kb" ] || [ "$grew_fds" -gt "$leak_fds" ]; then
  echo "soak: the generator grew"; exit 1
fi
echo "soak: no growth beyond noise in the workers, the coordinator or the fds"
