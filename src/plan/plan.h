// The validated test plan: what to load (phases), with what (scenarios of steps), against which target.
// Loaded from YAML by load_plan_file/load_plan_string; every node keeps its file:line:column so later stages
// (compile, run) can point at the plan when they reject something.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"
#include "net/address.h"

namespace surge::plan {

// 1-based; line == 0 means "no position" (a plan built in code, or an error about the whole file).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  SourceLocation where;
  std::string message;
  // "quickstart.yaml:12:7: unknown key 'duraton' in phase; expected one of: name, duration, users".
  // Without a line it is "file: message"; without a file, the message alone.
  std::string to_string() const;
};

using Duration = std::chrono::nanoseconds;

constexpr Duration kDefaultScheduleSlack = std::chrono::milliseconds(1);  // Plan::schedule_slack
constexpr Duration kMaxScheduleSlack = std::chrono::milliseconds(100);

// A value moving linearly from `from` to `to` over a phase; constant when from == to.
struct Ramp {
  double from = 0;
  double to = 0;
  // fraction is the elapsed share of the phase, clamped to [0, 1].
  double at(double fraction) const;
};

enum class LoadModel { kClosed, kOpen, kConstant, kHold };

// How an open phase spaces its arrivals: evenly (the default), or as a Poisson process conditioned on the
// phase's planned count (exponential gaps, load/poisson_arrivals.h).
enum class Arrivals { kUniform, kPoisson };

std::string_view to_string(LoadModel model);  // "closed", "open", "constant", "hold"

// One stretch of load. `model` says which load fields apply; the others stay zero. Ramps may go up or down.
struct Phase {
  std::string name;
  Duration duration{};
  LoadModel model = LoadModel::kClosed;
  Ramp users;                // closed: virtual users looping their scenario
  Ramp arrival_rate_per_s;   // open: scenario iterations started per second
  uint64_t max_users = 0;    // open: at most this many iterations in flight (the user pool)
  Arrivals arrivals = Arrivals::kUniform;  // open: `arrivals: uniform | poisson`
  uint64_t connections = 0;  // constant and hold: connections
  Ramp rate_per_s;           // constant: requests per second shared by the connections (wrk2 -R);
                             // hold: optional keep-alive traffic over the held connections (0 = none)
  Ramp connect_rate_per_s;   // hold: new connections per second until `connections` are open
  Duration graceful_stop = std::chrono::seconds(30);  // how long a leaving user may finish its iteration
  Duration stable = std::chrono::seconds(5);  // settle_s: healthy seconds in a row that count as settled
  SourceLocation where;
};

struct Header {
  std::string name;
  std::string value;  // may hold {{ templates }} in a step (docs/templates.md)
  SourceLocation where = {};  // of the value
  bool secret = false;  // `{ value: ..., secret: true }`: shown as *** everywhere (docs/security.md)
};

// One `expect` entry of an http step. A response that fails it is an error of kind `check`, counted under the
// check's name (docs/checks.md).
struct Check {
  enum class Kind { kHeader, kContains, kJson, kJsonExists, kCondition };
  Kind kind = Kind::kContains;
  std::string name;      // "header X-Cache", "contains", "json $.ok", "json_exists $.id", or the condition
  std::string subject;   // kHeader: the header name; kJson/kJsonExists: the path; kContains: the text;
                         // kCondition: the expression
  std::string expected;  // kHeader: the value; kJson: the expected value as JSON text
  SourceLocation where;
};

// One `capture` entry: a value from the response into a variable later templates use as {{ name }}.
struct Capture {
  enum class Kind { kJsonPath, kHeader, kRegex };
  std::string variable;
  Kind kind = Kind::kJsonPath;
  std::string source;  // the JSON path, the header name or the regex (group 1, or the whole match)
  SourceLocation where;           // of the source
  SourceLocation variable_where;  // of the variable's name
  bool optional = false;  // a miss empties the variable without failing a check (an MCP list's nextCursor)
  bool secret = false;    // `secret: true`: the captured value is shown as *** wherever a record could show it
};

// What the POST of a `jsonrpc` or `mcp` step carries (docs/mcp.md). Its body names fresh ids drawn from the
// virtual user's counter per request ({{ rpc.id }}, {{ rpc.id(K) }}), and the answer must carry them back.
struct RpcCall {
  uint32_t calls = 0;        // requests in the body, each with an id (0: notifications only, no answer)
  bool batch = false;        // the body is an array; the answer is one too, its responses matched by id
  bool session = false;      // sends Mcp-Session-Id: a 404 answer re-initializes the session
  bool initialize = false;   // the MCP initialize request: where a re-initialization starts
  bool wants_result = true;  // each answer must hold a "result", not an "error" object
};

// `retry:` of an http step (docs/faults.md#retries): a failed request whose error kind is in `on` is sent again,
// up to `attempts` tries in all, after a back-off that starts at backoff_min, doubles, and stops growing at
// backoff_max; each wait is drawn uniformly between half and all of its step (jitter, so users do not retry
// in step).
struct RetryPolicy {
  uint32_t attempts = 2;  // tries in all, the first included
  Duration backoff_min = std::chrono::milliseconds(100);
  Duration backoff_max = std::chrono::seconds(2);
  uint32_t on = 0;  // bit (1 << metrics::ErrorKind) per kind retried
  SourceLocation where;
};

struct HttpStep {
  std::string name;  // unique within its scenario; default "METHOD url", then "METHOD url #2", ...
  std::string method = "GET";
  std::string url;              // a path ("/x", joined to the target) or an absolute http(s) URL; the
                                // query: map is already appended (URL-encoded)
  std::vector<Header> headers;  // a `json:` body adds Content-Type: application/json unless given
  std::string body;
  bool body_is_json = false;    // values substituted into it are JSON-escaped
  bool body_is_form = false;    // ... or URL-encoded
  std::optional<Duration> timeout;  // unset: Plan::request_timeout
  std::optional<int> expect_status;  // expect.status; the other expect entries are in checks
  std::vector<Check> checks;
  std::vector<Capture> captures;
  std::optional<RpcCall> rpc;  // set for the requests of jsonrpc and mcp steps
  std::optional<RetryPolicy> retry;
  SourceLocation where;
  SourceLocation url_where;
  SourceLocation body_where;
};

// A pause drawn uniformly from [min, max] (fixed when min == max), or exponentially with mean `min`.
struct ThinkStep {
  Duration min{};
  Duration max{};
  bool exponential = false;
  SourceLocation where;
};

// `loop`: the next `body_steps` entries of the scenario's step list (nested loops included) run `count`
// times, or while the variable `while_variable` is non-empty, "true" or a non-zero number (at most `count`
// times then, so a loop always ends).
struct LoopStep {
  uint64_t count = 0;
  std::string while_variable;
  size_t body_steps = 0;
  SourceLocation where;
};

// A `ws` step: one action on the virtual user's WebSocket connection (docs/websocket.md).
struct WsStep {
  enum class Action { kConnect, kSend, kExpect, kPing, kClose };
  Action action = Action::kConnect;
  std::string name;  // unique within its scenario; default "ws connect /path", "ws send", "ws send #2", ...
  std::string url;   // connect: a path joined to the target, or an absolute ws:// URL (templates allowed)
  std::vector<Header> headers;            // connect: sent with the upgrade (templates allowed)
  std::vector<std::string> subprotocols;  // connect: offered in order
  std::string message;                    // send: a template, rendered per message
  bool binary = false;                    // send: a binary message instead of text
  bool expects = false;                   // send or expect: wait for a matching message
  std::vector<std::string> contains;      // ... that contains each of these
  std::vector<std::pair<std::string, std::string>> json;  // ... whose JSON path finds an equal value
  std::vector<std::string> conditions;    // ... for which each condition holds (checks.md syntax, the message
                                          // as the body); set by mcp steps (isError, protocol version)
  std::optional<RpcCall> rpc;             // send: a JSON-RPC message; the awaited answer carries its ids
  // Values taken from the awaited message into variables (JSON paths; an mcp list's nextCursor, so a loop can
  // follow the pages). Made by mcp steps, not written in plans.
  std::vector<Capture> captures;
  std::optional<Duration> timeout;        // unset: Plan::request_timeout
  uint16_t close_code = 1000;
  SourceLocation where;
  SourceLocation url_where;
  SourceLocation message_where;
};

// `group`: the next `body_steps` entries of the scenario's step list (nested groups and loops included) form
// a named group with its own metrics: runs, failed runs and the duration of each run (docs/plan.md).
struct GroupStep {
  std::string name;  // unique within its scenario, among step and group names
  size_t body_steps = 0;
  SourceLocation where;
};

using Step = std::variant<HttpStep, ThinkStep, LoopStep, WsStep, GroupStep>;

// `cookies:` of a scenario (docs/cookies.md): off, one jar per virtual user, or a jar emptied at the start of
// each iteration.
enum class CookieMode { kOff, kPerUser, kPerIteration };

struct Scenario {
  std::string name;
  double weight = 1;  // relative share of users, > 0
  std::vector<Step> steps;
  CookieMode cookies = CookieMode::kOff;
  SourceLocation where;
};

// One `sla:` entry, read but not parsed: src/sla/ parses the expression and checks its names against the
// plan (docs/sla.md).
struct SlaEntry {
  std::string expr;
  SourceLocation where;            // of the expression's first character (file "": a --sla flag)
  std::optional<Duration> window;  // whole seconds, >= 1 s: judged on sliding windows of this length
  bool abort_on_fail = false;      // a breach stops the run
  Duration delay{};                // no abort before this much of the run has passed
};

// `feeders:` entry: a CSV file whose rows feed templates as {{ name.column }} (docs/templates.md).
struct Feeder {
  enum class Order { kSequential, kRandom, kUnique };
  std::string name;
  std::string file;  // as written, resolved against the plan's directory
  std::string path;  // the file actually read
  Order order = Order::kSequential;
  bool recycle = false;  // unique: start over when every row was used (otherwise the iteration fails)
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  SourceLocation where;
};

// `metrics:` entry: a custom metric computed from every HTTP response (docs/checks.md).
struct CustomMetric {
  enum class Kind { kRate, kCounter, kTrend };
  std::string name;
  Kind kind = Kind::kRate;
  std::string expr;  // a condition (rate, counter) or a value (trend)
  std::vector<std::string> steps;  // names of the steps whose responses it records; empty: every http step
  SourceLocation where;
};

// `tls:`: how https:// and wss:// connections verify the server (docs/tls.md).
struct TlsOptions {
  enum class MinVersion { kDefault, k12, k13 };
  bool insecure = false;    // no certificate or name verification
  std::string server_name;  // SNI and the name verified, instead of each URL's host; empty: the URL's host
  std::string ca_file;      // as written; empty: the system CA store
  std::string ca_path;      // the file actually read (relative names are found next to the plan)
  MinVersion min_version = MinVersion::kDefault;
  SourceLocation where;     // of the `tls:` key
};

// `timeouts:` (docs/hostile-targets.md): how long a virtual user waits in each state that depends on the
// target. The request timeout is Plan::request_timeout (`timeout:`), a step's `timeout:` over it.
struct Timeouts {
  Duration connect = std::chrono::seconds(5);  // TCP connect plus TLS handshake (kind connect_timeout)
  // A kept-alive connection unused this long is closed and a new one opened for the next request, before the
  // server's own idle close can race the request (nginx closes after 75 s, many servers after 60 s or less).
  Duration idle = std::chrono::seconds(50);
  std::optional<Duration> ws_receive;  // default of ws steps' `timeout:`; unset: Plan::request_timeout
};

// `limits:` (docs/hostile-targets.md): what a response may be before it fails with kind `too_large`.
struct Limits {
  uint32_t max_header_bytes = 64 * 1024;       // a response head, status line to the empty line
  uint32_t max_header_line_bytes = 16 * 1024;  // one line of a head, its CRLF included
  uint64_t max_kept_bytes = 1 << 20;  // of a response kept for checks and captures; the rest is read, not kept
  uint64_t max_body_bytes = 0;        // a decoded body longer than this fails the request; 0: no limit
};

// `proxy:` (docs/faults.md): the run starts surge's fault proxy in-process, listening here, relaying to the
// target's host:port; the workers then send to `listen` instead of the target.
struct ProxySettings {
  net::SocketAddress listen;
  SourceLocation where;
};

// One `faults:` entry (docs/faults.md). Proxy kinds are applied to the plan's proxy; process kinds act on a
// process. `at` is phase_offset after the start of phase `phase` (phase 0 for a plain `at: 5s`).
struct FaultEntry {
  enum class Kind {
    kLatency, kBandwidth, kPartition, kReset, kCloseNew, kRefuse, kSlowClose,  // proxy faults
    kKill, kStop, kCont, kExec                                                 // process faults
  };
  Kind kind = Kind::kLatency;
  size_t phase = 0;
  Duration phase_offset{0};
  Duration duration{0};  // `for`: removed (proxy), continued (stop) or restarted (kill) this long after; 0 = none
  Duration stable = std::chrono::seconds(5);  // how long the target must stay healthy to count as recovered
  // proxy faults (the fields of docs/proxy.md)
  double fraction = 1.0;
  std::string direction = "both";
  Duration latency{0};
  Duration jitter{0};
  uint64_t bytes_per_s = 0;
  std::string on_end = "release";
  Duration close_delay{0};
  // process faults: the process is target_pid, or the one surge starts from `command` before the run
  int target_pid = 0;
  std::vector<std::string> command;  // kill, stop, cont: the process to start; exec: the command to run
  std::vector<std::string> restart;  // kill: started `for` after the kill
  int signal = 0;                    // kill: default SIGKILL
  SourceLocation where;

  bool is_proxy_fault() const { return kind < Kind::kKill; }
  Duration at(const std::vector<Phase>& phases) const;  // from the start of the run
};

std::string_view to_string(FaultEntry::Kind kind);  // "latency", ..., "kill", "exec"

struct Plan {
  std::string name;  // default: the file name without directory and extension
  std::string file;
  bool builtin_target = false;  // exactly one of builtin_target and target_url is set
  std::string target_url;
  int target_pid = 0;  // target_pid: the process tree target monitoring samples (0: none, or the built-in one)
  std::vector<Header> headers;  // sent with every request; a step's own header of the same name wins
  Duration request_timeout = std::chrono::seconds(10);
  Timeouts timeouts;
  Limits limits;
  // schedule_slack (docs/plan.md#schedule_slack): a scheduled request (open and constant models) may be sent
  // this much before its time, so requests due close together go out in one wake-up of the worker; its
  // latency then counts from the actual send. 0: each request at its own time, one wake-up each.
  Duration schedule_slack = kDefaultScheduleSlack;
  std::vector<Phase> phases;
  std::vector<Scenario> scenarios;
  std::vector<Feeder> feeders;
  std::vector<CustomMetric> metrics;
  std::vector<SlaEntry> slas;
  TlsOptions tls;
  std::optional<ProxySettings> proxy;  // `proxy:`
  std::vector<FaultEntry> faults;      // `faults:`, in plan order
  // source_addrs (or --source-addrs, which replaces it): local addresses new connections bind to in turn, so
  // one target address:port can take more connections than one address has ephemeral ports. Port 0, one
  // family; where: the plan node (line 0 for the flag).
  std::vector<net::SocketAddress> source_addrs;
  SourceLocation source_addrs_where;
  // Values no report, log or message may show (docs/security.md): the values of `secret_env` variables and of
  // secret or credential headers (Authorization, Cookie, ...), as collect_secrets finds them.
  std::vector<std::string> secrets;

  Duration total_duration() const;  // the sum of the phases
};

// Adds to plan.secrets the literal values of credential and `secret: true` headers (plan, environment, http
// and ws steps; an Authorization value's credentials also alone) and the environment variables their
// templates name. The plan loader calls it; quick mode calls it for its -H headers.
void collect_secrets(Plan& plan);

using Diagnostics = std::vector<Diagnostic>;

// Run-time changes to a plan, from the command line (`surge run --env --scale --max-users --set`). They are
// applied in this order: parse the YAML, apply `sets`, read the plan and select `environment`, then apply
// `scale` and `max_users` to the valid plan.
struct Overrides {
  std::string environment;  // --env NAME: environments.NAME replaces target and timeout, merges headers
  double scale = 1.0;       // --scale F: multiplies every phase duration and graceful_stop; F > 0
  // --max-users N: scales users, arrival rates, max_users, connections and rates of every phase by one factor
  // so the largest peak (users.from/to, max_users, connections) is N; counts round, kept >= 1 if they were.
  std::optional<uint64_t> max_users;
  // --set key=value: a dotted path into the YAML document (a sequence element by `name` or by index) and a
  // value taken verbatim as one scalar; a new key may be added to an existing map.
  std::vector<std::pair<std::string, std::string>> sets;
  // --allow-outside-files: a plan may read files (feeders) outside its own folder (docs/security.md).
  bool allow_outside_files = false;
};

// Reads and validates a plan file. On failure returns every problem found (not just the first), each with
// its position; a missing or unreadable file gives one diagnostic naming the file and the errno text.
// Problems that come from overrides rather than a plan node are in file "(--set)", "(--scale)" or
// "(--max-users)"; an unknown --env is reported at the plan's `environments:`. Never throws.
core::Result<Plan, Diagnostics> load_plan_file(const std::string& path, const Overrides& overrides = {});

// As load_plan_file, for text already in memory; file_name is used in the diagnostics and Plan::file.
core::Result<Plan, Diagnostics> load_plan_string(std::string_view yaml, const std::string& file_name,
                                                 const Overrides& overrides = {});

// One --set flag, "phases.ramp-up.duration=30s", into its path and value (split at the first '='). The
// value may be empty; the path must have no empty segment.
core::Result<std::pair<std::string, std::string>> parse_set_flag(std::string_view text);

// "250us", "500ms", "10s", "1.5s", "2m", "1h", "1m30s" (units ns us ms s m h, groups add up), or "0".
// Rejects empty, negative, unit-less (except "0") and anything over ~292 years (int64 nanoseconds).
// Zero is accepted; callers that need > 0 check it.
core::Result<Duration> parse_duration(std::string_view text);

// A rate in events per second: "200/s", "12000/m", "2/h", "0.5/s", or a bare number meaning per second.
// Rejects negative, non-finite, other units and anything over 1e9/s.
core::Result<double> parse_rate_per_s(std::string_view text);

}  // namespace surge::plan
