// `surge proxy`: the fault-injecting TCP proxy (src/proxy/) with its HTTP control API. Checks the flags and
// binds both addresses (exit 2 with the reason when it cannot), prints where it listens, then relays until
// SIGINT/SIGTERM (exit 0); exit 1 if the event loop itself fails.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/errno_text.h"
#include "core/event_loop.h"
#include "core/stop_on_signal.h"
#include "net/address.h"
#include "proto/http/bearer_auth.h"
#include "proxy/control_server.h"
#include "proxy/proxy.h"
#include "results/exit_code.h"

namespace surge::cli {
namespace {

struct ProxyFlags {
  std::string listen;
  std::string upstream;
  std::string control;  // empty: no control API
  std::string control_token;  // empty: $SURGE_CONTROL_TOKEN, else no token
  uint64_t seed = 1;
};


// Blocks SIGINT and SIGTERM and has the loop stop when one arrives.
core::Result<std::unique_ptr<core::StopOnSignal>> watch_stop_signals(core::EventLoop& loop) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const int signal_fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) return core::fail("signalfd failed: " + core::errno_text(errno));
  auto stop = std::make_unique<core::StopOnSignal>(loop, signal_fd);
  if (auto added = loop.add(signal_fd, EPOLLIN, stop.get()); !added) return core::fail(added.error().message);
  return stop;
}

// A numeric "ADDR:PORT" to listen on; the port must be given (0 picks a free one).
core::Result<net::SocketAddress> parse_listen(const char* flag, const std::string& text) {
  const size_t colon = text.rfind(':');
  const bool is_bracketed = !text.empty() && text.front() == '[';
  const bool has_port =
      colon != std::string::npos && (is_bracketed ? text.find("]:") != std::string::npos : text.find(':') == colon);
  auto address = net::parse_numeric_address(text);
  if (!address || !has_port) {
    return core::fail(std::string("invalid ") + flag + " \"" + text +
                      "\": expected a numeric ADDR:PORT like 127.0.0.1:8080 (port 0 picks a free one)");
  }
  return address;
}

// "HOST:PORT" where HOST may be a name (resolved once, here) or a literal ("[::1]:8080").
core::Result<net::SocketAddress> parse_upstream(const std::string& text) {
  const std::string expected = "invalid --upstream \"" + text + "\": expected HOST:PORT like 127.0.0.1:8080";
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return core::fail(expected);
  unsigned port = 0;
  const char* port_end = text.data() + text.size();
  auto [end, error] = std::from_chars(text.data() + colon + 1, port_end, port);
  if (error != std::errc() || end != port_end || port == 0 || port > 65535) return core::fail(expected);
  if (auto numeric = net::parse_numeric_address(text); numeric) return numeric;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto resolved = net::resolve(host, static_cast<uint16_t>(port));
  if (!resolved) return core::fail("invalid --upstream \"" + text + "\": " + resolved.error().message);
  return resolved;
}

int fail_usage(const std::string& message) {
  std::fprintf(stderr, "surge proxy: %s\n", message.c_str());
  return results::kExitUsage;
}

int run_proxy(const ProxyFlags& flags) {
  proxy::ProxyOptions options;
  options.seed = flags.seed;
  auto listen = parse_listen("--listen", flags.listen);
  if (!listen) return fail_usage(listen.error().message);
  auto upstream = parse_upstream(flags.upstream);
  if (!upstream) return fail_usage(upstream.error().message);
  options.listen = *listen;
  options.upstream = *upstream;
  net::SocketAddress control_address;
  if (!flags.control.empty()) {
    // A bare port listens on loopback only: opening the control API to a network is a choice made by address.
    const bool is_bare_port = flags.control.find_first_not_of("0123456789") == std::string::npos;
    auto parsed = parse_listen("--control", is_bare_port ? "127.0.0.1:" + flags.control : flags.control);
    if (!parsed) return fail_usage(parsed.error().message);
    control_address = *parsed;
  }

  auto loop = core::EventLoop::create();
  if (!loop) return fail_usage(loop.error().message);
  auto proxy = proxy::Proxy::start(**loop, options);
  if (!proxy) return fail_usage("--listen: " + proxy.error().message);
  std::unique_ptr<proxy::ControlServer> control;
  if (!flags.control.empty()) {
    auto started = proxy::ControlServer::start(**loop, **proxy, control_address);
    if (!started) return fail_usage("--control: " + started.error().message);
    control = std::move(*started);
    std::string token = flags.control_token;
    if (token.empty()) token = std::string(proto::http::token_from_environment("SURGE_CONTROL_TOKEN"));
    control->require_bearer_token(std::move(token));
  }

  auto stop = watch_stop_signals(**loop);
  if (!stop) return fail_usage(stop.error().message);
  std::printf("listening on %s\n", (*proxy)->listen_address().to_string().c_str());
  if (control) std::printf("control on %s\n", control->address().to_string().c_str());
  std::printf("upstream %s\n", (*proxy)->upstream_address().to_string().c_str());
  std::fflush(stdout);
  auto ran = (*loop)->run();
  if (!ran) {
    std::fprintf(stderr, "surge proxy: %s\n", ran.error().message.c_str());
    return results::kExitRunFailed;
  }
  return results::kExitPass;
}

}  // namespace

void add_proxy_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ProxyFlags>();
  CLI::App* command = app.add_subcommand("proxy", "Run a fault-injecting TCP proxy between clients and a target");
  command->footer(
      "Control API (with --control): POST /faults with a JSON fault, GET /faults, DELETE /faults/{id},\n"
      "GET /stats. Faults: latency, bandwidth, partition, reset, close_new, refuse, slow_close (docs/proxy.md).\n"
      "Stdout starts with \"listening on ADDR:PORT\", then \"control on ADDR:PORT\" when --control is given.\n");
  command->add_option("--listen", flags->listen, "ADDR:PORT to accept clients on; port 0 picks a free one")
      ->required();
  command->add_option("--upstream", flags->upstream, "HOST:PORT every client is connected to")->required();
  command->add_option("--control", flags->control,
                      "ADDR:PORT (or a PORT on 127.0.0.1) for the HTTP control API (default: none)");
  command->add_option("--control-token", flags->control_token,
                      "The control API answers only 'Authorization: Bearer TOKEN' (default: $SURGE_CONTROL_TOKEN, "
                      "else no token)");
  command->add_option("--seed", flags->seed, "Seed for which connections a fraction picks, and for jitter (default 1)");
  command->callback([flags, &exit_code] { exit_code = run_proxy(*flags); });
}

}  // namespace surge::cli
