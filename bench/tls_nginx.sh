# Sourced by bench/tls_cost.sh and bench/tls_memory.sh: one nginx worker serving `return 200 "hello\n"` over
# TLS 1.3 (a throwaway P-256 certificate for localhost and 127.0.0.1) and over plain HTTP, on loopback.
#   start_tls_nginx WORKDIR CONNECTIONS [CPU]   sets tls_port, plain_port and nginx_pid (stop it by that PID);
#   nginx runs pinned to CPU when one is given, and takes at least CONNECTIONS connections on each port.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_tls_nginx() {
  local work=$1 connections=$2 cpu=${3:-}
  local slots=$((2 * connections + 100))
  [ "$slots" -ge 4096 ] || slots=4096
  (cd "$work" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout server.key -out server.pem 2>/dev/null)
  tls_port=$(free_port)
  plain_port=$(free_port)
  cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/error.log;
worker_rlimit_nofile $slots;
events { worker_connections $slots; }
http { access_log off; keepalive_requests 100000000; keepalive_timeout 600s;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:$tls_port ssl; ssl_certificate $work/server.pem; ssl_certificate_key $work/server.key;
           location / { return 200 "hello\n"; } }
  server { listen 127.0.0.1:$plain_port; location / { return 200 "hello\n"; } } }
CONF
  if [ -n "$cpu" ]; then
    taskset -c "$cpu" nginx -p "$work" -c "$work/nginx.conf" &
  else
    nginx -p "$work" -c "$work/nginx.conf" &
  fi
  nginx_pid=$!
  until python3 -c "import socket; socket.create_connection(('127.0.0.1', $plain_port), 0.2)" 2>/dev/null; do
    sleep 0.05
  done
}
