#!/usr/bin/env bash
# What an idle TLS connection costs in memory: OpenSSL's own floor against surge's figure, side by side.
#   floor: bench/floor/tls_idle_memory.c, heap bytes in use per connection (glibc mallinfo2) with surge's
#          OpenSSL settings, after full handshakes and resumed
#   surge: a hold phase of N connections over https minus the same over http, peak RSS (coordinator + worker)
#          difference ÷ N
# against one nginx (a throwaway P-256 certificate, TLS 1.3, keep-alive) on loopback.
# Usage: bench/tls_memory.sh [CONNECTIONS]   (default 2000; nginx's worker_connections is set above it)
#        SURGE=build-x/surge bench/tls_memory.sh ...   uses that binary instead of building ./build
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SURGE:-}" ]; then make -s build >/dev/null; SURGE=./build/surge; fi
conns=${1:-2000}
for tool in nginx openssl gcc python3; do
  command -v "$tool" >/dev/null || { echo "tls_memory: '$tool' is missing: run bench/install-peers.sh" >&2; exit 1; }
done
work=$(mktemp -d)
nginx_pid=""
trap '[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p build
gcc -O2 -Wall -o build/tls_idle_memory bench/floor/tls_idle_memory.c -lssl -lcrypto
. bench/tls_nginx.sh
start_tls_nginx "$work" "$conns"

echo "OpenSSL's floor, $conns connections one after another:"
build/tls_idle_memory 127.0.0.1 "$tls_port" "$conns" | sed 's/^/  /'

hold_rss() {  # $1: target URL; prints the peak RSS in bytes of a hold phase of $conns connections
  cat > "$work/hold.yaml" <<PLAN
name: tls-memory
target: $1
tls: { insecure: true }
phases:
  - { name: hold, duration: 8s, connections: $conns, connect_rate: $((conns / 4))/s }
scenarios:
  - name: s
    steps:
      - http: { url: / }
PLAN
  "$SURGE" run "$work/hold.yaml" --workers 1 --quiet --out json="$work/r.json" > /dev/null
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['generator']['peak_rss_bytes'], r['connections']['opened'], r['connections']['failed'])" "$work/r.json"
}
read -r tls_rss tls_opened tls_failed <<< "$(hold_rss "https://127.0.0.1:$tls_port")"
read -r plain_rss plain_opened plain_failed <<< "$(hold_rss "http://127.0.0.1:$plain_port")"
echo "surge, a hold phase of $conns connections (connect_rate $((conns / 4))/s), peak RSS of coordinator + worker:"
echo "  https: $((tls_rss / 1024)) KiB ($tls_opened opened, $tls_failed failed)"
echo "  http:  $((plain_rss / 1024)) KiB ($plain_opened opened, $plain_failed failed)"
echo "  TLS adds $(( (tls_rss - plain_rss) / conns )) bytes per connection"
