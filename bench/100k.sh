#!/usr/bin/env bash
# 100,000 concurrent connections on one machine: `surge serve --workers 6` on 127.0.0.1 and `surge run` with 6
# workers and 6 source addresses (127.0.0.2-127.0.0.7: 6 × the ephemeral range towards one port) open them at
# CONNECT_RATE, hold them for HOLD_S with keep-alive traffic of RATE requests/s, and close them. Prints the
# achieved connect rate, max_concurrent, failures by kind, the server's own count, and user-space memory per
# connection on both sides: RSS growth from a baseline (the workers running, 6 connections open) to the full
# hold, summed over every worker process (/proc/<pid>/status of each), divided by the connections. The
# generator makes its user pool for the peak before the first phase, so its growth leaves the pool out; the
# script also runs the plan holding 6 connections first and prints the growth from that, pool included.
#   bench/100k.sh [CONNECTIONS] [HOLD_S] [CONNECT_RATE] [RATE]   (defaults: 100000 60 25000 10000)
# SURGE=path/to/surge picks the binary (default build/surge, built with `make build` when missing).
# Raises net.core.somaxconn and net.ipv4.tcp_max_syn_backlog to 65535 (what `surge doctor` advises for this
# many connects per second) and puts both back on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-100000}
hold_s=${2:-60}
connect_rate=${3:-25000}
rate=${4:-10000}
surge=${SURGE:-build/surge}
[ -x "$surge" ] || make -s build >/dev/null
work=$(mktemp -d)

old_somaxconn=$(cat /proc/sys/net/core/somaxconn)
old_syn_backlog=$(cat /proc/sys/net/ipv4/tcp_max_syn_backlog)
serve_pid=""
run_pid=""
cleanup() {
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  sysctl -q -w net.core.somaxconn="$old_somaxconn" net.ipv4.tcp_max_syn_backlog="$old_syn_backlog" || true
  rm -rf "$work"
}
trap cleanup EXIT
sysctl -q -w net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535

# RSS (kB) and anonymous RSS (kB) of a process and its children (their pids, not names).
rss_of_tree() {
  local pids="$1 $(cat /proc/"$1"/task/*/children 2>/dev/null)" rss=0 anon=0 kb
  for pid in $pids; do
    kb=$(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0); rss=$((rss + ${kb:-0}))
    kb=$(awk '/^RssAnon:/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0); anon=$((anon + ${kb:-0}))
  done
  echo "$rss $anon"
}
workers_of() { cat /proc/"$1"/task/*/children 2>/dev/null | wc -w; }
serve_open() {
  curl -s "http://$addr/__surge/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"]["open"])'
}

"$surge" serve --port 0 --workers 6 > "$work/serve.out" &
serve_pid=$!
until grep -q listening "$work/serve.out"; do sleep 0.05; done
addr=$(sed -n 's/listening on //p' "$work/serve.out")
until [ "$(workers_of "$serve_pid")" -ge 6 ]; do sleep 0.05; done
read -r serve_rss0 serve_anon0 < <(rss_of_tree "$serve_pid")

connect_s=$(python3 -c "import math; print(math.ceil($connections / $connect_rate) + 1)")
cat > "$work/plan.yaml" <<PLAN
name: hold-100k
target: http://$addr
phases:
  # 6 connections (one per worker) while the baseline memory is read
  - { name: baseline, duration: 3s, connections: 6, connect_rate: 100/s }
  - { name: hold, duration: $((hold_s + connect_s))s, connections: $connections, connect_rate: $connect_rate/s, rate: $rate/s }
scenarios: [ { name: s, steps: [ { http: { url: / } } ] } ]
PLAN
"$surge" doctor "$work/plan.yaml" --workers 6 --source-addrs 127.0.0.2-127.0.0.7 || true

# The generator makes its user pool for a phase's peak before the first phase starts, so the baseline below
# (6 connections open, the pool already made for 100,000) leaves the pool out. Its cost is read here: the same
# plan holding 6 connections, 2 s into its baseline phase, is the generator without the pool.
sed "s/connections: $connections,/connections: 6,/" "$work/plan.yaml" > "$work/small.yaml"
"$surge" run "$work/small.yaml" --workers 6 --source-addrs 127.0.0.2-127.0.0.7 --quiet --out json="$work/small.json" \
  > /dev/null 2>&1 &
run_pid=$!
until [ "$(workers_of "$run_pid")" -ge 6 ]; do sleep 0.05; done
sleep 2
read -r gen_small_rss gen_small_anon < <(rss_of_tree "$run_pid")
kill "$run_pid"; wait "$run_pid" 2>/dev/null || true
run_pid=""
"$surge" run "$work/plan.yaml" --workers 6 --source-addrs 127.0.0.2-127.0.0.7 --quiet \
  --out json="$work/r.json" > "$work/run.out" 2> "$work/run.err" &
run_pid=$!
until [ "$(workers_of "$run_pid")" -ge 6 ]; do sleep 0.05; done
sleep 2  # inside the 3 s baseline phase: the workers run, 6 connections are open
read -r gen_rss0 gen_anon0 < <(rss_of_tree "$run_pid")

# Memory is read at the highest count of open connections the server reports (its stats request left out),
# sampled every 0.5 s until the hold is full (then 5 s later, after keep-alive traffic touched them all).
peak_open=0; sampled_open=0
gen_rss1=0; gen_anon1=0; serve_rss1=0; serve_anon1=0
deadline=$((SECONDS + connect_s + hold_s))
while [ $SECONDS -lt $deadline ] && kill -0 "$run_pid" 2>/dev/null; do
  open=$(($(serve_open) - 1))
  if [ "$open" -ge "$connections" ]; then sleep 5; open=$(($(serve_open) - 1)); fi
  if [ "$open" -gt "$peak_open" ]; then
    peak_open=$open
    read -r gen_rss1 gen_anon1 < <(rss_of_tree "$run_pid")
    read -r serve_rss1 serve_anon1 < <(rss_of_tree "$serve_pid")
    sampled_open=$open
  fi
  [ "$open" -ge "$connections" ] && break
  sleep 0.5
done
wait "$run_pid" || true
run_pid=""
cat "$work/run.err" >&2

python3 - "$work/r.json" "$connections" "$peak_open" "$sampled_open" "$gen_rss0" "$gen_anon0" "$gen_rss1" "$gen_anon1" \
  "$serve_rss0" "$serve_anon0" "$serve_rss1" "$serve_anon1" "$gen_small_rss" "$gen_small_anon" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n, peak = int(sys.argv[2]), int(sys.argv[3])
sampled = int(sys.argv[4])
g0, ga0, g1, ga1, s0, sa0, s1, sa1, gs, gsa = (int(x) * 1024 for x in sys.argv[5:15])
hold = next(p for p in r["phases"] if p["name"] == "hold")
c = hold["connections"]
print(f"connections planned        {n:,}")
print(f"connect rate achieved      {c.get('connect_rate_per_s', 0):,.0f}/s "
      f"(connect p50 {c.get('connect_ms', {}).get('p50', 0):.2f} ms, p99 {c.get('connect_ms', {}).get('p99', 0):.2f} ms, "
      f"max {c.get('connect_ms', {}).get('max', 0):.2f} ms)")
print(f"max_concurrent             {r['connections']['max_concurrent']:,} (results.json); server saw {peak:,} open")
print(f"failed connects            {r['connections']['failed']:,} {c.get('failed_by_error', {})}")
req = hold["requests"]
print(f"keep-alive requests        {req['total']:,} ({req['total'] / max(hold['duration_s'], 1):,.0f}/s), "
      f"errors {req['errors']:,} {req['by_error']}, latency p50 {hold.get('latency_ms', {}).get('p50', 0):.2f} ms "
      f"p99 {hold.get('latency_ms', {}).get('p99', 0):.2f} ms")
if sampled == 0:
    print("memory                     not sampled: the server never reported an open connection")
    sys.exit(0)
held = sampled - 6  # the baseline had 6 open
print(f"memory read at             {sampled:,} open connections (the server's count)")
print(f"generator RSS              {g0 / 2**20:.1f} MiB -> {g1 / 2**20:.1f} MiB (7 processes): "
      f"{(g1 - g0) / held:,.0f} B/connection (anonymous {(ga1 - ga0) / held:,.0f} B)")
print(f"generator, pool included    {gs / 2**20:.1f} MiB (6 connections, pool for 6) -> {g1 / 2**20:.1f} MiB: "
      f"{(g1 - gs) / held:,.0f} B/connection (anonymous {(ga1 - gsa) / held:,.0f} B)")
print(f"serve RSS                  {s0 / 2**20:.1f} MiB -> {s1 / 2**20:.1f} MiB (7 processes): "
      f"{(s1 - s0) / sampled:,.0f} B/connection (anonymous {(sa1 - sa0) / sampled:,.0f} B)")
print(f"generator cpu              {r['generator']['cpu_s']:.1f} s")
PY
