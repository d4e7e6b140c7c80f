#!/usr/bin/env bash
# What TLS costs the generator: CPU microseconds per request (user + system) of surge and of wrk against the same
# nginx (one worker, a throwaway P-256 certificate, TLS 1.3, keep-alive), over https and, for reference, over
# plain http; nginx pinned to core 1, the generator to core 0, REPS interleaved repetitions, medians printed.
#   surge: generator.cpu_s of results.json (coordinator included)   wrk: getrusage of the process (-t1)
# Usage: bench/tls_cost.sh [DURATION_S] [REPS] [CONNECTIONS]   (defaults 10, 3, 50)
#        SURGE=build-x/surge bench/tls_cost.sh ...   uses that binary instead of building ./build
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SURGE:-}" ]; then make -s build >/dev/null; SURGE=./build/surge; fi
duration=${1:-10}; reps=${2:-3}; conns=${3:-50}
for tool in wrk nginx openssl taskset; do
  command -v "$tool" >/dev/null || { echo "tls_cost: '$tool' is missing: run scripts/install-deps.sh" >&2; exit 1; }
done
work=$(mktemp -d)
nginx_pid=""
trap '[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

. bench/tls_nginx.sh
start_tls_nginx "$work" "$conns" 1

surge_run() {  # $1: URL; prints "CPU-us-per-request requests-per-s"
  taskset -c 0 "$SURGE" run --url "$1" --insecure -c "$conns" -d "${duration}s" --workers 1 --quiet \
    --out json="$work/r.json" > /dev/null || true
  python3 - "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); total = r["requests"]["total"]
print(f'{r["generator"]["cpu_s"] * 1e6 / max(total, 1):.2f} {total / r["duration_s"]:.0f}')
PY
}
wrk_run() {  # $1: URL; same output
  /usr/bin/time -f '%U %S' -o "$work/time" taskset -c 0 wrk -t1 -c"$conns" -d"${duration}s" "$1" > "$work/wrk.out"
  python3 - "$work/wrk.out" "$work/time" "$duration" <<'PY'
import re, sys
total = int(re.search(r"(\d+) requests in", open(sys.argv[1]).read()).group(1))
user, system = map(float, open(sys.argv[2]).read().split()[-2:])
print(f'{(user + system) * 1e6 / max(total, 1):.2f} {total / float(sys.argv[3]):.0f}')
PY
}

labels="surge-https wrk-https surge-http wrk-http"
declare -A cpu rate
for label in $labels; do cpu[$label]=""; rate[$label]=""; done
for rep in $(seq 1 "$reps"); do
  for label in $labels; do
    scheme=${label#*-}; tool=${label%-*}
    port=$tls_port; [ "$scheme" = http ] && port=$plain_port
    out=$("${tool}_run" "$scheme://localhost:$port/")
    cpu[$label]+="${out% *} "; rate[$label]+="${out#* } "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-12s %-26s %-8s %s\n' variant "CPU us/request (each rep)" median "requests/s (median)"
for label in $labels; do
  printf '%-12s %-26s %-8s %s\n' "$label" "${cpu[$label]}" "$(echo "${cpu[$label]}" | median)" \
    "$(echo "${rate[$label]}" | median)"
done
ratio() { python3 -c "print(f'{$1/$2:.2f}x')"; }
s=$(echo "${cpu[surge-https]}" | median); w=$(echo "${cpu[wrk-https]}" | median)
echo "surge/wrk over https: $(ratio "$s" "$w"); $conns connections, ${duration}s per run, $(nproc) cores, $(uname -r)"
