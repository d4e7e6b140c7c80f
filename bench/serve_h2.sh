#!/usr/bin/env bash
# `surge serve` against nginx over h2c (HTTP/2 by prior knowledge on plain TCP), by requests per CPU second of
# the target: both serve one worker on loopback, h2load (one thread, 10 connections x 10 streams) drives each
# in turn, and the target's own CPU (utime + stime of its process from /proc) is read before and after.
#   bench/serve_h2.sh [SURGE] [SECONDS] [REPS] [PROTOCOL]     defaults: build/surge 5 3 h2c
# PROTOCOL h1 runs the same with h2load --h1 (HTTP/1.1, 10 connections, no pipelining) for comparison.
# Needs nginx (Debian 1.22: `listen ... http2` without ssl is h2c) and h2load (nghttp2-client).
set -euo pipefail
surge=${1:-build/surge}
seconds=${2:-5}
reps=${3:-3}
protocol=${4:-h2c}
work=$(mktemp -d)
nginx_pid="" serve_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon off; master_process off; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 100000000; keepalive_timeout 600s;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:$nginx_port http2; location / { return 200 "hello\n"; } } }
CONF
[ "$protocol" = h1 ] && sed -i "s/ http2;/;/" "$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
"$surge" serve --port 0 > "$work/serve.out" &
serve_pid=$!
until grep -q listening "$work/serve.out" 2>/dev/null; do sleep 0.05; done
serve_port=$(sed -n 's/.*://p' "$work/serve.out")
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $nginx_port), 0.2)" 2>/dev/null; do
  sleep 0.05
done

hz=$(getconf CLK_TCK)
flags=(-t1 -c10 -m10)
[ "$protocol" = h1 ] && flags=(--h1 -t1 -c10 -m1)
echo "h2load ${flags[*]} -D $seconds, $reps reps per target, alternating ($protocol)"
for rep in $(seq "$reps"); do
  for target in nginx serve; do
    if [ "$target" = nginx ]; then pid=$nginx_pid port=$nginx_port; else pid=$serve_pid port=$serve_port; fi
    before=$(cpu_ticks "$pid")
    out=$(h2load "${flags[@]}" -D "$seconds" "http://127.0.0.1:$port/")
    after=$(cpu_ticks "$pid")
    done_requests=$(echo "$out" | sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p')
    python3 -c "
ticks = $after - $before; cpu_s = ticks / $hz; n = $done_requests
print(f'$target rep $rep: {n} requests, target CPU {cpu_s:.2f} s, {n / cpu_s:,.0f} requests per CPU second, {1e6 * cpu_s / n:.2f} us/request')"
  done
done
