// The plan loader's walk over the parsed YAML: root keys, phases, scenarios and steps, each node checked
// and turned into the plan.h model. Errors go to the YamlReader; the walk never stops at the first one.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.h"
#include "plan/yaml_reader.h"

namespace surge::plan {

// The whole plan from a document's root node, with environments.<environment> put over it when
// `environment` is not empty. The result is only meaningful if reader has no errors. Files it names must be
// in the plan's folder unless allow_outside_files (--allow-outside-files).
Plan read_plan(YamlReader& reader, const YAML::Node& root, const std::string& file,
               const std::string& environment, bool allow_outside_files = false);

// A name seen in one list (phases, scenarios, steps of a scenario), where it was written, and whether surge
// gave it to an unnamed step (so a clash with it can say so).
struct NamedAt {
  std::string name;
  SourceLocation where;
  bool is_default = false;
};
using NameIndex = std::vector<NamedAt>;

// Records "duplicate <what> name 'x'; the first is at 3:5" and returns false if `name` is in `seen`.
bool check_unique(YamlReader& reader, NameIndex& seen, const std::string& name, const SourceLocation& where,
                  std::string_view what);

// A step's name into `seen`: an explicit one (`name:`) must be unique (check_unique); an unnamed step's
// default ("ws send", "GET /a") becomes the first free one of "ws send", "ws send #2", "ws send #3"...
// (docs/plan.md).
bool claim_step_name(YamlReader& reader, NameIndex& seen, std::string& name, bool is_explicit,
                     const SourceLocation& where);

// The required, non-empty, unique `name:` of a phase or scenario.
std::optional<std::string> read_unique_name(YamlReader& reader, const MapFields& map, NameIndex& seen,
                                            std::string_view what);

// `phases:` items; at least one. Phases without their own graceful_stop get default_graceful_stop.
std::vector<Phase> read_phases(YamlReader& reader, const Field& phases, Duration default_graceful_stop);

// `scenarios:` items; at least one, each with at least one step.
std::vector<Scenario> read_scenarios(YamlReader& reader, const Field& scenarios);

// One `http` step (http_step_reader.cpp); `where` is the step's position, names the scenario's step names.
std::optional<HttpStep> read_http(YamlReader& reader, const Field& field, const SourceLocation& where,
                                  NameIndex& names);
// What the `mcp` and `jsonrpc` steps of one scenario share: whether an MCP `initialize` came before (its
// session variables exist only then).
struct RpcState {
  bool has_session = false;
  bool over_websocket = false;  // the session's initialize chose transport: websocket (mcp_ws_reader.cpp)
};

// An `mcp` or `jsonrpc` step, appended to `out` as the http steps (and, for `list`, the loop) it sends
// (rpc_step_reader.cpp). False after reporting a problem.
bool read_mcp(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
              std::vector<Step>& out, RpcState& state);
bool read_jsonrpc(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
                  std::vector<Step>& out, RpcState& state);

// The `json: { "$.path": value }` map of a ws or jsonrpc-over-ws `expect` (ws_step_reader.cpp): each path with
// its value as compact JSON text appended to out. `what` names the key in messages ("ws expect json"). False
// after reporting a problem.
bool read_json_expectations(YamlReader& reader, const Field& json, const std::string& what,
                            std::vector<std::pair<std::string, std::string>>& out);

// A `ws` step (ws_step_reader.cpp). False after reporting a problem.
bool read_ws(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
             std::vector<Step>& out);

// An http step's `expect` (status, header, contains, json, json_exists, condition) and `capture`
// (expect_reader.cpp). False after reporting a problem.
bool read_expect(YamlReader& reader, const Field& field, HttpStep& step);
bool read_captures(YamlReader& reader, const Field& field, HttpStep& step);

// `feeders:` (CSV files read now, their columns known to templates) and `metrics:` (custom metrics).
std::vector<Feeder> read_feeders(YamlReader& reader, const Field& field, const std::string& plan_file,
                                 bool allow_outside_files = false);
std::vector<CustomMetric> read_custom_metrics(YamlReader& reader, const Field& field);

// Compiles every template, JSON path, regex and condition of the plan once, so a bad one is a load error with
// its position (template_check.cpp). Run after the rest of the plan was read without errors.
void check_expressions(YamlReader& reader, const Plan& plan);

// `sla:` items: an expression string, or a map {expr, window, abort_on_fail, delay}. Only their shape is
// checked here; src/sla/ parses the expressions and checks the names they use against the plan.
std::vector<SlaEntry> read_slas(YamlReader& reader, const Field& field);

// `timeouts:` {connect, idle, ws_receive} and `limits:` {max_header_bytes, max_header_line_bytes,
// max_kept_bytes, max_body_bytes} (limits_reader.cpp); unset keys keep their defaults.
// source_addrs: a range or list of local addresses into plan.source_addrs (source_addrs_reader.cpp).
void read_source_addrs(YamlReader& reader, const Field& field, Plan& plan);
// `proxy:` and `faults:` (fault_reader.cpp); read after the phases, which `at: PHASE+30s` names.
void read_proxy(YamlReader& reader, const Field& field, Plan& plan);
void read_faults(YamlReader& reader, const Field& field, Plan& plan);
Timeouts read_timeouts(YamlReader& reader, const Field& field);
Limits read_limits(YamlReader& reader, const Field& field);

// `tls:` {insecure, server_name, ca_file, min_version} (tls_reader.cpp); ca_file must exist and hold a PEM
// certificate, found like a feeder's file.
TlsOptions read_tls(YamlReader& reader, const Field& field, const std::string& plan_file, bool allow_outside_files);

// `target:` checked: "builtin" or an absolute http(s) URL.
std::optional<std::string> read_target(YamlReader& reader, const Field& field);

// One entry of `environments:`; unset fields leave the plan's own.
struct Environment {
  std::string name;
  std::optional<std::string> target;
  std::optional<Duration> timeout;
  std::vector<Header> headers;
};

// `environments:`, a map of names to { target, headers, timeout }. Every entry is checked, selected or not.
// nullopt when the value is not a map (already reported).
std::optional<std::vector<Environment>> read_environments(YamlReader& reader, const Field& field);

// The environment called `name`, or nullptr after reporting "unknown environment 'prod'; the plan defines:
// staging, local" at `where`.
const Environment* find_environment(YamlReader& reader, const std::vector<Environment>& environments,
                                    const std::string& name, const SourceLocation& where);

// Puts an environment over the plan: target and timeout replaced, headers merged (the environment's win,
// names compared without case as HTTP does).
void apply_environment(const Environment& environment, Plan& plan);

}  // namespace surge::plan
