// The validated test plan: what to load (phases), with what (scenarios of steps), against which target.
// Loaded from YAML by load_plan_file/load_plan_string; every node keeps its file:line:column so later stages
// (compile, run) can point at the plan when they reject something.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

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

// A value moving linearly from `from` to `to` over a phase; constant when from == to.
struct Ramp {
  double from = 0;
  double to = 0;
  // fraction is the elapsed share of the phase, clamped to [0, 1].
  double at(double fraction) const;
};

enum class LoadModel { kClosed };  // later: kOpen, kConstant, kHold

// Closed model: `users` virtual users loop their scenario back to back.
struct Phase {
  std::string name;
  Duration duration{};
  LoadModel model = LoadModel::kClosed;
  Ramp users;  // whole numbers >= 0 at both ends
  SourceLocation where;
};

struct Header {
  std::string name;
  std::string value;
};

struct HttpStep {
  std::string name;  // unique within its scenario; default "METHOD url"
  std::string method = "GET";
  std::string url;              // a path ("/x", joined to the target) or an absolute http(s) URL
  std::vector<Header> headers;  // a `json:` body adds Content-Type: application/json unless given
  std::string body;
  std::optional<Duration> timeout;  // unset: Plan::request_timeout
  std::optional<int> expect_status;
  SourceLocation where;
};

// A pause drawn uniformly from [min, max]; fixed when min == max.
struct ThinkStep {
  Duration min{};
  Duration max{};
  SourceLocation where;
};

using Step = std::variant<HttpStep, ThinkStep>;

struct Scenario {
  std::string name;
  double weight = 1;  // relative share of users, > 0
  std::vector<Step> steps;
  SourceLocation where;
};

struct Plan {
  std::string name;  // default: the file name without directory and extension
  std::string file;
  bool builtin_target = false;  // exactly one of builtin_target and target_url is set
  std::string target_url;
  std::vector<Header> headers;  // sent with every request; a step's own header of the same name wins
  Duration request_timeout = std::chrono::seconds(10);
  std::vector<Phase> phases;
  std::vector<Scenario> scenarios;

  Duration total_duration() const;  // the sum of the phases
};

using Diagnostics = std::vector<Diagnostic>;

// Reads and validates a plan file. On failure returns every problem found (not just the first), each with
// its position; a missing or unreadable file gives one diagnostic naming the file and the errno text.
// Never throws.
core::Result<Plan, Diagnostics> load_plan_file(const std::string& path);

// As load_plan_file, for text already in memory; file_name is used in the diagnostics and Plan::file.
core::Result<Plan, Diagnostics> load_plan_string(std::string_view yaml, const std::string& file_name);

// "250us", "500ms", "10s", "1.5s", "2m", "1h", "1m30s" (units ns us ms s m h, groups add up), or "0".
// Rejects empty, negative, unit-less (except "0") and anything over ~292 years (int64 nanoseconds).
// Zero is accepted; callers that need > 0 check it.
core::Result<Duration> parse_duration(std::string_view text);

}  // namespace surge::plan
