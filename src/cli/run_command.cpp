// `surge run PLAN` and quick mode `surge run --url URL` (wrk/hey-like flags). Turns flags into a Plan and
// RunOptions, validates them (exit 2 with a clear message), and hands over to the coordinator.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/plan_diagnostics.h"
#include "cli/segment_flags.h"
#include "core/clock.h"
#include "machine/capacity.h"
#include "net/address.h"
#include "net/source_addresses.h"
#include "plan/plan.h"
#include "proto/http/request_writer.h"
#include "proto/http/url.h"
#include "report/outputs.h"
#include "results/exit_code.h"
#include "run/coordinator.h"
#include "sla/sla.h"

namespace surge::cli {
namespace {

struct RunFlags {
  std::string plan_path;
  std::string url;
  uint64_t connections = 10;
  std::string duration;
  uint64_t requests = 0;
  std::string method = "GET";
  std::vector<std::string> headers;
  std::string body;
  std::string body_file;
  std::string timeout;
  std::string rate;
  uint32_t workers = 0;
  std::string environment;
  double scale = 1.0;
  uint64_t max_users = 0;
  std::vector<std::string> sets;
  std::vector<std::string> outputs;
  std::vector<std::string> slas;
  uint64_t seed = 1;
  bool quiet = false;
  bool insecure = false;
  int target_pid = 0;
  std::string prometheus;
  std::string prometheus_token;
  std::string linger;
  std::string grace = "2s";
  bool allow_outside_files = false;
  uint64_t log_requests = 0;
  std::string log_requests_file;
  std::string source_addrs;
  std::string schedule_slack;
  std::string segment;   // --segment I/N
  std::string start_at;  // --start-at T
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "surge run: %s\n", message.c_str());
  return results::kExitUsage;
}

// Quick mode: one phase of C users looping one request, for -d (default 10 s) or until -n requests.
core::Result<plan::Plan> quick_plan(const RunFlags& flags) {
  auto url = proto::http::parse_url(flags.url);
  if (!url) return core::fail("invalid --url: " + url.error().message);
  plan::Plan plan;
  plan.name = "quick";
  plan.file = "(command line)";
  plan.target_url = flags.url;
  if (!flags.timeout.empty()) {
    auto timeout = plan::parse_duration(flags.timeout);
    if (!timeout || timeout->count() <= 0) return core::fail("invalid --timeout \"" + flags.timeout + "\": expected a duration > 0 like 2s");
    plan.request_timeout = *timeout;
  }
  plan::Phase phase;
  phase.name = "load";
  phase.users = {static_cast<double>(flags.connections), static_cast<double>(flags.connections)};
  if (!flags.rate.empty()) {
    // --rate: the connections share a fixed request rate (wrk2 -R); latency runs from each intended send.
    auto rate = plan::parse_rate_per_s(flags.rate);
    if (!rate || *rate <= 0) return core::fail("invalid --rate \"" + flags.rate + "\": expected a rate > 0 like 2000/s or 120000/m");
    phase.model = plan::LoadModel::kConstant;
    phase.connections = flags.connections;
    phase.rate_per_s = {*rate, *rate};
  }
  if (!flags.duration.empty()) {
    auto duration = plan::parse_duration(flags.duration);
    if (!duration || duration->count() <= 0) return core::fail("invalid --duration \"" + flags.duration + "\": expected a duration > 0 like 30s");
    phase.duration = *duration;
  } else {
    // With -n alone the budget ends the run; the phase only bounds it (a day).
    phase.duration = flags.requests > 0 ? std::chrono::hours(24) : std::chrono::seconds(10);
  }
  plan.phases.push_back(phase);

  plan::HttpStep step;
  step.method = flags.method;
  step.url = flags.url;
  step.name = flags.method + " " + url->target;
  for (const std::string& header : flags.headers) {
    size_t colon = header.find(':');
    if (colon == std::string::npos || colon == 0) return core::fail("invalid --header \"" + header + "\": expected 'Name: value'");
    std::string name = header.substr(0, colon);
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    auto valid = proto::http::validate_header(name, value);
    if (!valid) return core::fail("invalid --header \"" + header + "\": " + valid.error().message);
    step.headers.push_back({name, value});
  }
  step.body = flags.body;
  if (!flags.body_file.empty()) {
    std::ifstream file(flags.body_file, std::ios::binary);
    if (!file) return core::fail("cannot read --body-file '" + flags.body_file + "'");
    std::ostringstream content;
    content << file.rdbuf();
    step.body = content.str();
  }
  plan.scenarios.push_back({"default", 1, {step}, {}});
  return plan;
}

// --prometheus ADDR[:PORT] (numeric, no DNS: it is our own listening address; the port defaults to 9464) and
// --linger D, which only makes sense with it.
core::Result<void> read_prometheus_flags(const RunFlags& flags, run::RunOptions& options) {
  if (!flags.linger.empty() && flags.prometheus.empty()) return core::fail("--linger needs --prometheus ADDR");
  if (flags.prometheus.empty()) return {};
  // A bare port (9464 or :9464) listens on loopback only: exposing the figures is a choice made by an address.
  std::string text = flags.prometheus;
  if (text.find_first_not_of("0123456789") == std::string::npos) text = "127.0.0.1:" + text;
  else if (text.front() == ':') text = "127.0.0.1" + text;
  auto address = net::parse_numeric_address(text, 9464);
  if (!address) return core::fail("invalid --prometheus: " + address.error().message + ", like 127.0.0.1:9464");
  options.prometheus = *address;
  options.prometheus_token = flags.prometheus_token;
  if (options.prometheus_token.empty()) {
    if (const char* token = std::getenv("SURGE_PROMETHEUS_TOKEN")) options.prometheus_token = token;
  }
  if (flags.linger.empty()) return {};
  auto linger = plan::parse_duration(flags.linger);
  if (!linger || linger->count() < 0) {
    return core::fail("invalid --linger \"" + flags.linger + "\": expected a duration like 30s");
  }
  options.linger = *linger;
  return {};
}

uint32_t default_workers(const plan::Plan& plan) {
  double peak = 1;
  for (const plan::Phase& phase : plan.phases) {
    peak = std::max({peak, phase.users.from, phase.users.to, static_cast<double>(phase.max_users),
                     static_cast<double>(phase.connections)});
  }
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  auto by_cores = static_cast<uint32_t>(std::min<double>(cores, peak));
  // Each worker stays under the open-file limit: 100,000 connections under 20,000 files need 6 workers.
  return std::max(by_cores,
                  machine::workers_needed(machine::read_system_limits(), machine::peak_connections(plan)));
}

// A plan whose connections cannot fit the workers given: said before the run, as `surge doctor` says it.
void warn_when_plan_cannot_fit(const plan::Plan& plan, uint32_t workers) {
  const machine::SystemLimits limits = machine::read_system_limits();
  const uint64_t connections = machine::peak_connections(plan);
  if (connections <= machine::connections_per_worker(limits) * workers) return;
  std::fprintf(stderr, "warning: %s; connects beyond the limit fail (kind connect)\n",
               machine::check_capacity(limits, connections, workers).front().text.c_str());
}

// --segment I/N and --start-at T (docs/distributed.md). A segment's only use is its partial results.json, so
// it needs --out json=FILE. The hash covers the flags that change what runs, so `surge merge` refuses parts
// of different plans.
core::Result<void> read_segment_flags(const RunFlags& flags, run::RunOptions& options) {
  if (!flags.start_at.empty()) {
    auto start_at = parse_start_at(flags.start_at, core::wall_clock_ns());
    if (!start_at) return core::fail(start_at.error().message);
    options.start_at_unix_ns = *start_at;
  }
  if (flags.segment.empty()) return {};
  auto segment = parse_segment(flags.segment);
  if (!segment) return core::fail(segment.error().message);
  const bool writes_json = std::any_of(options.outputs.begin(), options.outputs.end(),
                                       [](const report::OutputRequest& output) { return output.kind == "json"; });
  if (!writes_json) return core::fail("--segment needs --out json=FILE: the partial results.json surge merge reads");
  std::vector<std::string> inputs = {"env=" + flags.environment, "scale=" + std::to_string(flags.scale),
                                     "max-users=" + std::to_string(flags.max_users),
                                     "requests=" + std::to_string(flags.requests), "url=" + flags.url,
                                     "connections=" + std::to_string(flags.connections),
                                     "duration=" + flags.duration, "rate=" + flags.rate, "method=" + flags.method,
                                     "body=" + flags.body, "body-file=" + flags.body_file, "timeout=" + flags.timeout};
  for (const std::string& set : flags.sets) inputs.push_back("set=" + set);
  for (const std::string& sla : flags.slas) inputs.push_back("sla=" + sla);
  for (const std::string& header : flags.headers) inputs.push_back("header=" + header);
  options.segment = merge::SegmentRun{*segment, plan_hash(flags.plan_path, inputs)};
  return {};
}

// More connections than one source address has ports towards a target port: said before the run, with the
// --source-addrs advice of `surge doctor` (the run goes on; the extra connects fail with kind address).
void warn_when_ports_cannot_fit(const plan::Plan& plan, uint32_t workers) {
  const machine::SystemLimits limits = machine::read_system_limits();
  const uint64_t connections = machine::peak_connections(plan);
  const machine::Finding ports =
      machine::check_capacity(limits, connections, workers, plan.source_addrs.size())[2];
  if (ports.level == machine::Finding::Level::kOk) return;
  std::fprintf(stderr, "warning: %s\n", ports.text.c_str());
}

int run_command(const RunFlags& flags) {
  if (flags.plan_path.empty() == flags.url.empty()) return usage_error("give either a PLAN file or --url URL");
  if (flags.connections == 0) return usage_error("invalid --connections 0: expected at least 1");
  run::RunOptions options;
  for (const std::string& text : flags.outputs) {
    auto output = report::parse_output_request(text);
    if (!output) return usage_error(output.error().message);
    options.outputs.push_back(*output);
  }
  plan::Plan plan;
  if (!flags.plan_path.empty()) {
    plan::Overrides overrides;
    overrides.environment = flags.environment;
    overrides.scale = flags.scale;
    if (flags.max_users > 0) overrides.max_users = flags.max_users;
    overrides.allow_outside_files = flags.allow_outside_files;
    for (const std::string& set : flags.sets) {
      auto parsed = plan::parse_set_flag(set);
      if (!parsed) return usage_error(parsed.error().message);
      overrides.sets.push_back(*parsed);
    }
    auto loaded = plan::load_plan_file(flags.plan_path, overrides);
    if (!loaded) return print_plan_diagnostics(loaded.error());
    plan = std::move(loaded).value();
  } else {
    auto quick = quick_plan(flags);
    if (!quick) return usage_error(quick.error().message);
    plan = std::move(quick).value();
    plan::collect_secrets(plan);  // -H 'Authorization: ...'
  }
  if (!flags.source_addrs.empty()) {  // replaces the plan's source_addrs
    auto sources = net::parse_source_addresses(flags.source_addrs);
    if (!sources) return usage_error("invalid --source-addrs \"" + flags.source_addrs + "\": " + sources.error().message);
    plan.source_addrs = std::move(sources).value();
    plan.source_addrs_where = {};
  }
  if (!flags.schedule_slack.empty()) {  // over the plan's schedule_slack
    auto slack = plan::parse_duration(flags.schedule_slack);
    if (!slack || *slack > plan::kMaxScheduleSlack) {
      return usage_error("invalid --schedule-slack \"" + flags.schedule_slack + "\": expected a duration from 0 to 100ms, like 500us");
    }
    plan.schedule_slack = *slack;
  }
  if (flags.insecure) plan.tls.insecure = true;  // over a plan's own tls: block too (its ca_file goes unused)
  // --sla adds to the plan's own SLAs; every one is checked against the plan before anything starts.
  for (const std::string& expr : flags.slas) plan.slas.push_back({expr, {}, std::nullopt, false, {}});
  auto slas = sla::compile_slas(plan);
  if (!slas) {
    for (const plan::Diagnostic& diagnostic : slas.error()) {
      const char* prefix = diagnostic.where.file.empty() ? "surge run: " : "";  // a --sla flag, not a plan line
      std::fprintf(stderr, "%s%s\n", prefix, diagnostic.to_string().c_str());
    }
    return results::kExitUsage;
  }
  options.slas = std::move(slas).value();
  options.workers = flags.workers > 0 ? flags.workers : default_workers(plan);
  warn_when_plan_cannot_fit(plan, options.workers);
  warn_when_ports_cannot_fit(plan, options.workers);
  options.max_requests = flags.requests;
  options.seed = flags.seed;
  options.quiet = flags.quiet;
  options.target_pid = flags.target_pid;
  auto prometheus = read_prometheus_flags(flags, options);
  if (!prometheus) return usage_error(prometheus.error().message);
  auto grace = plan::parse_duration(flags.grace);
  if (!grace) return usage_error("invalid --grace \"" + flags.grace + "\": expected a duration like 2s");
  options.grace = *grace;
  options.log_requests = flags.log_requests;
  options.log_requests_file = flags.log_requests_file;
  if (!flags.log_requests_file.empty() && flags.log_requests == 0) {
    return usage_error("--log-requests-file needs --log-requests N");
  }
  if (auto segment = read_segment_flags(flags, options); !segment) return usage_error(segment.error().message);
  return run::run_plan(plan, options);
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* run = app.add_subcommand("run", "Run a load test: a plan file, or quick mode with --url");
  run->add_option("plan", flags->plan_path, "Plan file (YAML)");
  run->add_option("--url", flags->url, "Quick mode: the URL to load");
  run->add_option("-c,--connections", flags->connections, "Quick mode: concurrent users/connections (default 10)");
  run->add_option("-d,--duration", flags->duration, "Quick mode: how long, like 30s (default 10s)");
  run->add_option("-n,--requests", flags->requests, "Stop after this many requests in all");
  run->add_option("-m,--method", flags->method, "Quick mode: HTTP method (default GET)");
  run->add_option("-H,--header", flags->headers, "Quick mode: a request header 'Name: value' (repeatable)");
  run->add_option("--body", flags->body, "Quick mode: request body");
  run->add_option("--body-file", flags->body_file, "Quick mode: request body read from a file");
  run->add_option("--timeout", flags->timeout, "Quick mode: per-request timeout (default 10s)");
  run->add_option("--rate", flags->rate, "Quick mode: fixed request rate shared by the connections, like 2000/s");
  run->add_option("--workers", flags->workers, "Worker processes (default: one per core, at most one per user)");
  run->add_option("--env", flags->environment, "Use the plan's environments.NAME (target, headers, timeout)");
  run->add_option("--scale", flags->scale, "Multiply every phase duration by this factor, like 0.01");
  run->add_option("--max-users", flags->max_users, "Scale users, rates and connections so the largest phase peaks here");
  run->add_option("--set", flags->sets, "Override a plan value: --set phases.warm-up.duration=10s (repeatable)");
  run->add_option("--out", flags->outputs, "Write an output KIND=FILE (kinds: " + report::output_kinds() + "); repeatable");
  run->add_option("--sla", flags->slas, "An SLA like 'p95(latency) < 250ms'; repeatable; a failed one exits 99");
  run->add_option("--seed", flags->seed, "Seed for random choices (think times)");
  run->add_flag("--quiet", flags->quiet, "No live progress lines");
  run->add_flag("--insecure", flags->insecure,
                "https:// and wss://: skip certificate and name verification (the plan's tls.insecure)");
  run->add_option("--prometheus", flags->prometheus,
                  "Serve live metrics for Prometheus at http://ADDR[:PORT]/metrics (port 9464 by default)");
  run->add_option("--linger", flags->linger,
                  "With --prometheus: keep serving the final figures this long after the run, like 30s");
  run->add_option("--prometheus-token", flags->prometheus_token,
                  "With --prometheus: /metrics answers only 'Authorization: Bearer TOKEN' (default: "
                  "$SURGE_PROMETHEUS_TOKEN, else no token)");
  run->add_option("--grace", flags->grace,
                  "After Ctrl-C or SIGTERM, let requests in flight finish this long, like 500ms (default 2s)");
  run->add_flag("--allow-outside-files", flags->allow_outside_files,
                "Let the plan read files (feeders) outside its own folder");
  run->add_option("--log-requests", flags->log_requests,
                  "Log up to N failed requests with their responses (head and first body bytes; secrets as ***)");
  run->add_option("--log-requests-file", flags->log_requests_file,
                  "With --log-requests: append the log to this file instead of stderr");
  run->add_option("--source-addrs", flags->source_addrs,
                  "Spread connections over these local addresses, like 127.0.0.2-127.0.0.7 or 10.0.0.1,10.0.0.2 "
                  "(each adds ~28K ports towards one target port)");
  run->add_option("--schedule-slack", flags->schedule_slack,
                  "Open and constant models: send a scheduled request up to this early, so requests due close "
                  "together share a wake-up (default 1ms; 0: each at its time)");
  run->add_option("--segment", flags->segment,
                  "Run segment I of N of every phase, like 2/8, and write a partial results.json for surge merge");
  run->add_option("--start-at", flags->start_at,
                  "Start phase 0 at this time: RFC 3339 like 2026-12-01T10:00:00Z, now+10s, or Unix seconds");
  run->add_option("--target-pid", flags->target_pid, "Monitor this process tree's CPU, memory and descriptors")
      ->check(CLI::PositiveNumber);
  run->callback([flags, &exit_code] { exit_code = run_command(*flags); });
}

}  // namespace surge::cli
