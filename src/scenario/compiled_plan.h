// The plan compiled for the hot path: request bytes rendered once (or templates compiled once), checks and
// captures compiled, targets resolved once, durations in ns. Built by the coordinator before the workers fork,
// so every worker inherits it without copying.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "extract/condition.h"
#include "extract/json_path.h"
#include "extract/regex.h"
#include "extract/response_view.h"
#include "net/address.h"
#include "net/tls_client.h"
#include "plan/plan.h"
#include "scenario/request_template.h"
#include "scenario/rpc_judge.h"
#include "templating/scope.h"

namespace surge::scenario {

// One `expect` entry (other than status), judged on the response's parts.
struct CompiledCheck {
  plan::Check::Kind kind = plan::Check::Kind::kContains;
  uint32_t index = 0;        // global check index: the column in metrics::StatsGrid::check
  std::string subject;       // header name, text to contain
  std::string expected;      // header value, or expected JSON text
  extract::JsonPath path;    // kJson, kJsonExists
  std::optional<extract::Condition> condition;
};

struct CompiledCapture {
  plan::Capture::Kind kind = plan::Capture::Kind::kJsonPath;
  uint32_t slot = 0;      // the variable's slot
  uint32_t check = 0;     // global check index of "capture <variable>" (a miss fails it)
  std::string header;     // kHeader
  extract::JsonPath path;  // kJsonPath
  std::optional<extract::Regex> regex;
  bool optional = false;  // a miss empties the variable and counts nothing
};

// The captured text into out (emptied first); false when the response does not have it (response_judge.cpp).
bool capture_value(const CompiledCapture& capture, const extract::ResponseView& response, std::string& out);

struct CompiledHttpStep {
  std::string request;  // the exact bytes written for this step, when it has no template
  std::unique_ptr<RequestTemplate> dynamic;  // set when a part of the request is rendered per request
  size_t target = 0;    // index into CompiledPlan::targets
  std::string host;     // lower-case host name or address, for cookie domain matching
  bool is_https = false;  // a Secure cookie goes only to https steps
  bool is_head = false;
  bool needs_response = false;  // checks, captures or custom metrics look inside the response
  std::vector<uint32_t> metrics;  // indices into CompiledPlan::metrics of the custom metrics it records
  int64_t timeout_ns = 0;
  std::optional<int> expect_status;
  std::vector<CompiledCheck> checks;
  std::vector<CompiledCapture> captures;
  CompiledRpc rpc;  // jsonrpc and mcp steps: fresh ids per request, and how their answers are judged
  // retry: (plan::RetryPolicy): tries in all (1: no retry), the kinds retried, and the back-off bounds.
  uint32_t retry_attempts = 1;
  uint32_t retry_on = 0;
  int64_t retry_backoff_min_ns = 0;
  int64_t retry_backoff_max_ns = 0;
};

// A `ws` step: what it sends (the upgrade, a message, a ping, a close) and which message it waits for.
struct CompiledWsStep {
  plan::WsStep::Action action = plan::WsStep::Action::kConnect;
  size_t target = 0;                 // connect: index into CompiledPlan::targets
  std::string host_header;           // connect
  std::string host;                  // connect: lower-case host, for cookie domain matching
  bool is_secure = false;            // connect: wss://, where Secure cookies go
  templating::Template path;         // connect: path and query
  std::vector<std::pair<std::string, templating::Template>> headers;  // connect: "Name: " and its value
  std::vector<std::string> subprotocols;
  templating::Template message;      // send
  bool binary = false;
  bool expects = false;              // wait for a message matching every entry below
  std::vector<std::string> contains;
  std::vector<std::pair<extract::JsonPath, std::string>> json;  // path, expected JSON text
  std::vector<extract::Condition> conditions;  // of mcp steps: read with the message as the body
  int64_t timeout_ns = 0;
  uint16_t close_code = 1000;
  CompiledRpc rpc;                   // send of a jsonrpc step: the awaited message is the answer to its ids
  std::vector<CompiledCapture> captures;  // optional JSON paths read from the awaited message (mcp list cursors)
};

struct CompiledStep {
  enum class Kind { kHttp, kThink, kLoopBegin, kLoopEnd, kWs, kGroupBegin, kGroupEnd } kind = Kind::kHttp;
  // Global step index: the column of this step in metrics::StatsGrid; for group markers the group's index
  // into CompiledPlan::groups and StatsGrid::group.
  size_t stats_index = 0;
  CompiledHttpStep http;
  std::unique_ptr<CompiledWsStep> ws;  // kWs
  int64_t think_min_ns = 0;
  int64_t think_max_ns = 0;
  bool think_exponential = false;  // think_min_ns is then the mean
  // Loops: kLoopBegin at b and its kLoopEnd at e share loop_slot; the body is b+1 .. e-1. kLoopBegin's jump is
  // e + 1 (where the loop exits to), kLoopEnd's is b + 1 (where the next round starts).
  // Groups: kGroupBegin and its kGroupEnd share loop_slot, the first of the kGroupSlots per-user slots of the
  // run in progress (start ns, failures before it, phase).
  uint32_t loop_slot = 0;
  uint32_t jump = 0;
  uint64_t loop_count = 0;               // rounds at most
  std::optional<uint32_t> while_slot;    // a variable that must hold a true value for another round
};

// Per-user slots a group run keeps while it runs (see CompiledStep::loop_slot).
constexpr uint32_t kGroupSlots = 3;

struct CompiledScenario {
  std::string name;
  double weight = 1;
  std::vector<CompiledStep> steps;
  plan::CookieMode cookies = plan::CookieMode::kOff;
};

struct StepInfo {
  std::string scenario;
  std::string name;
  bool is_request = true;  // think steps have a column in the grid but never count requests
  std::string group;       // the groups it is inside, outermost first: "outer::inner"; "" for none
  bool is_round_trip = false;  // a ws send that waits for its answer: its latency is a message round trip
};

// One `group` of the plan, for reports: indexed like StatsGrid::group.
struct GroupInfo {
  std::string scenario;
  std::string name;
  std::string path;  // its own name after the groups it is inside: "outer::inner"
};

// One check of the plan, for reports: its step and its name.
struct CheckInfo {
  size_t step = 0;  // stats index of its step
  std::string name;
};

struct CompiledMetric {
  std::string name;
  std::vector<std::string> steps;  // step names it records; empty: every http step
  plan::CustomMetric::Kind kind = plan::CustomMetric::Kind::kRate;
  std::optional<extract::Condition> condition;  // rate, counter
  std::optional<extract::Value> value;          // trend
};

struct CompiledFeeder {
  const plan::Feeder* feeder = nullptr;  // rows live in the plan, which outlives the run
  uint32_t first_slot = 0;               // its columns' slots, in column order
};

struct CompiledPlan {
  std::vector<net::SocketAddress> targets;
  // The plan's source_addrs (or --source-addrs), port 0: each new connection binds the next one. Every one has
  // the family of every target (compile_plan checks).
  std::vector<net::SocketAddress> source_addrs;
  std::vector<std::string> target_names;  // "host:port" as the user wrote it ("https://host:port" with TLS)
  // By target: the name TLS sends as SNI and verifies (tls.server_name, else the URL's host); empty for plain
  // TCP. A connect's one look at it is all plain HTTP pays for TLS.
  std::vector<std::string> tls_names;
  net::TlsSettings tls;  // the plan's `tls:`, for each worker's net::TlsClient
  bool has_tls = false;  // some target is https:// or wss://
  std::vector<CompiledScenario> scenarios;
  std::vector<StepInfo> steps;  // indexed by CompiledStep::stats_index (think steps included, never counted)
  std::vector<CheckInfo> checks;  // indexed by CompiledCheck::index
  std::vector<GroupInfo> groups;  // indexed by the group markers' stats_index
  std::vector<CompiledMetric> metrics;
  std::vector<CompiledFeeder> feeders;
  templating::Scope variables;  // every variable slot a user keeps
  std::vector<uint32_t> secret_slots;  // variables a `secret: true` capture fills: the failure log hides their values
  uint32_t loop_slots = 0;      // loop counters and group slots a user keeps
  // With groups, the loop slot counting a user's failed requests and checks (a group run failed when it grew).
  std::optional<uint32_t> failure_slot;
  bool has_ws = false;          // some step uses WebSocket: users get a WebSocket session
  plan::Timeouts timeouts;      // connect and idle bound every connection (ws_receive is in each ws step)
  int64_t schedule_slack_ns = 0;  // plan::Plan::schedule_slack
  // Every scenario is one plain-HTTP request (no TLS, no WebSocket, no think, loop or group): nothing a user
  // does after a response is timed from when it is handled, so in the open model a worker may leave responses
  // waiting for its next send (core::EventLoop's quiet waits) and date them by the kernel's receive stamp.
  bool responses_can_wait = false;
  plan::Limits limits;          // what a response may be before it fails as too_large
};

// target_url is the plan's target (for `target: builtin`, the URL of the started server). Step URLs that are
// paths join it; absolute step URLs name their own host. Fails on a URL we cannot reach (unknown host) or a
// TLS setting OpenSSL rejects (a CA file it cannot load) with a one-line message. The plan must outlive the compiled plan (feeder rows).
core::Result<CompiledPlan> compile_plan(const plan::Plan& plan, const std::string& target_url);

// Whether the plan's source addresses can reach every target: a connection's source must have its target's
// family. The message starts with the plan's source_addrs position (or "surge run: --source-addrs") and names
// the address and the target; the caller prints it as is and exits 2 (bad input), unlike compile_plan's failures.
core::Result<void> check_source_families(const plan::Plan& plan, const CompiledPlan& compiled);

}  // namespace surge::scenario
