# Sourced by soak.sh and long_report.sh: `surge serve` as the target, and the soak's plan of mixed traffic
# (keep-alive requests with a capture and a check, a connection closed every iteration, a WebSocket session,
# an MCP session) against it.

# start_serve SURGE WORK: starts `surge serve` on a free port; sets serve_pid and addr (host:port).
start_serve() {
  "$1" serve --port 0 > "$2/serve.out" &
  serve_pid=$!
  until grep -qs listening "$2/serve.out"; do sleep 0.05; done  # -s: the file may not exist yet
  addr=$(sed -n 's/listening on //p' "$2/serve.out")
}

# write_soak_plan FILE ADDR DURATION RATE: one open phase of DURATION at RATE iterations/s.
write_soak_plan() {
  cat > "$1" <<PLAN
name: soak
target: http://$2
phases:
  - { name: soak, duration: $3, arrival_rate: $4/s, max_users: 400 }
scenarios:
  - name: api
    weight: 80
    steps:
      - http: { method: POST, url: /v1/login, json: { user: "u{{ vu.id }}" }, capture: { token: "\$.token" }, expect: { status: 200 } }
      - http: { url: /v1/whoami, headers: { Authorization: "Bearer {{ token }}" }, expect: { contains: "tok-u" } }
      - http: { url: "/json?i={{ iteration }}", headers: { Connection: close } }
  - name: ws
    weight: 15
    steps:
      - ws: { connect: /ws }
      - ws: { send: "hello {{ uuid }}", expect: { contains: hello, timeout: 2s } }
      - ws: { close: 1000 }
  - name: mcp
    weight: 5
    steps:
      - mcp: { initialize: { client: soak } }
      - mcp: { call: echo, arguments: { message: hi } }
      - mcp: { close: true }
PLAN
}
