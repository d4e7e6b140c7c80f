// `surge serve`: the built-in HTTP/1.1 target (src/serve/). Reads and checks the flags, then runs the server
// until SIGINT/SIGTERM: exit 0 when stopped that way, 1 when it cannot listen or a worker dies, 2 on bad
// flags.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "net/address.h"
#include "plan/plan.h"
#include "serve/server.h"

namespace surge::cli {
namespace {

struct ServeFlags {
  int port = 8080;
  std::string address = "127.0.0.1";
  int workers = 1;
  std::string delay = "0";
  std::string stall_every;  // empty: not given
  std::string stall_for;
  double cache_hit_ratio = 0.8;
  uint32_t fail_every = 0;
  bool mcp_sse = false;
  uint32_t mcp_session_requests = 0;
  std::string misbehave;  // empty: a well-behaved server
  std::string tls_cert;   // empty: plain TCP
  std::string tls_key;
};

bool parse_duration_flag(const char* name, const std::string& text, std::chrono::nanoseconds& out) {
  auto parsed = plan::parse_duration(text);
  if (!parsed) {
    std::fprintf(stderr, "invalid %s \"%s\": expected a duration like 250us, 20ms, 1s or 1m\n", name,
                 text.c_str());
    return false;
  }
  out = *parsed;
  return true;
}

// --stall-every E --stall-for T: both or neither, 0 < T < E. Messages quote the flags as typed.
bool parse_stall_flags(const ServeFlags& flags, serve::ServeOptions& options) {
  if (flags.stall_every.empty() && flags.stall_for.empty()) return true;
  if (flags.stall_for.empty()) {
    std::fprintf(stderr, "--stall-every needs --stall-for (how long each stall lasts)\n");
    return false;
  }
  if (flags.stall_every.empty()) {
    std::fprintf(stderr, "--stall-for needs --stall-every (how often a stall begins)\n");
    return false;
  }
  if (!parse_duration_flag("--stall-every", flags.stall_every, options.stall_every) ||
      !parse_duration_flag("--stall-for", flags.stall_for, options.stall_for)) {
    return false;
  }
  if (options.stall_for.count() <= 0) {
    std::fprintf(stderr, "--stall-for %s must be longer than 0\n", flags.stall_for.c_str());
    return false;
  }
  if (options.stall_for >= options.stall_every) {
    std::fprintf(stderr, "--stall-for %s must be shorter than --stall-every %s\n", flags.stall_for.c_str(),
                 flags.stall_every.c_str());
    return false;
  }
  return true;
}

int serve(const ServeFlags& flags) {
  serve::ServeOptions options;
  if (!parse_duration_flag("--delay", flags.delay, options.delay)) return 2;
  if (!parse_stall_flags(flags, options)) return 2;
  if (!net::parse_numeric_address(flags.address)) {
    std::fprintf(stderr, "invalid --addr \"%s\": expected a numeric IPv4 or IPv6 address like 127.0.0.1\n",
                 flags.address.c_str());
    return 2;
  }
  if (!flags.misbehave.empty()) {
    auto mode = serve::parse_misbehaviour(flags.misbehave);
    if (!mode || *mode == serve::Misbehaviour::kNone) {
      std::fprintf(stderr, "invalid --misbehave \"%s\": expected one of %s\n", flags.misbehave.c_str(),
                   serve::misbehaviour_names().c_str());
      return 2;
    }
    options.misbehave = *mode;
  }
  options.address = flags.address;
  options.port = static_cast<uint16_t>(flags.port);
  options.workers = flags.workers;
  options.cache_hit_ratio = flags.cache_hit_ratio;
  options.fail_every = flags.fail_every;
  options.mcp_sse = flags.mcp_sse;
  options.mcp_session_requests = flags.mcp_session_requests;
  options.tls_cert = flags.tls_cert;
  options.tls_key = flags.tls_key;
  auto served = serve::run_server(options);
  if (!served) {
    std::fprintf(stderr, "surge serve: %s\n", served.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* command = app.add_subcommand("serve", "Run the built-in HTTP/1.1 target");
  command->footer(
      "Endpoints: / (surge serve), /delay/{ms}, /status/{code}, /bytes/{n}[?encoding=chunked|close], /echo,\n"
      "/json, the CodePal API under /v1/ (docs/serve.md), /mcp (an MCP server; docs/mcp.md), /__surge/stats\n"
      "(JSON counters), /__surge/health.\n"
      "The first line on stdout is \"listening on ADDR:PORT\".\n");
  command->add_option("--port", flags->port, "TCP port; 0 picks a free one (default 8080)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--addr", flags->address, "Numeric address to listen on (default 127.0.0.1)");
  command->add_option("--workers", flags->workers, "Worker processes sharing the port (default 1)")
      ->check(CLI::Range(1, 1024));
  command->add_option("--delay", flags->delay,
                      "Delay added to every response, like 250us, 20ms, 1s (default 0)");
  command->add_option("--stall-every", flags->stall_every,
                      "Freeze the whole server at every multiple of this after the start, like 1s (with "
                      "--stall-for)");
  command->add_option("--stall-for", flags->stall_for,
                      "How long each freeze lasts, shorter than --stall-every, like 200ms");
  command->add_option("--cache-hit-ratio", flags->cache_hit_ratio,
                      "Share of /v1/ API content responses sent with X-Cache: HIT, 0..1 (default 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--fail-every", flags->fail_every,
                      "Answer every Nth request of each worker with 503 instead (not /__surge/*, /mcp or "
                      "WebSocket upgrades), to test retries and error rates (default 0: never)")
      ->check(CLI::Range(0u, 1000000000u));
  command->add_flag("--mcp-sse", flags->mcp_sse,
                    "Answer /mcp requests as text/event-stream (one event, then the stream ends) instead of JSON");
  command->add_option("--mcp-session-requests", flags->mcp_session_requests,
                      "End each /mcp session after it answered N requests, so clients must initialize "
                      "again (default 0: no limit)")
      ->check(CLI::Range(0u, 1000000000u));
  command->add_option("--tls-cert", flags->tls_cert,
                      "PEM certificate chain: serve TLS, ALPN choosing h2 or http/1.1 (needs --tls-key)");
  command->add_option("--tls-key", flags->tls_key, "PEM private key of --tls-cert");
  command->add_option("--misbehave", flags->misbehave,
                      "Break the protocol on every request instead of serving (docs/hostile-targets.md): " +
                          serve::misbehaviour_names());
  command->callback([flags, &exit_code] { exit_code = serve(*flags); });
}

}  // namespace surge::cli
