// The plan compiled for the hot path: request bytes rendered once, targets resolved once, durations in ns.
// Built by the coordinator before the workers fork, so every worker inherits it without copying.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/address.h"
#include "plan/plan.h"

namespace surge::scenario {

struct CompiledHttpStep {
  std::string request;  // the exact bytes written for this step
  size_t target = 0;    // index into CompiledPlan::targets
  bool is_head = false;
  int64_t timeout_ns = 0;
  std::optional<int> expect_status;
};

struct CompiledStep {
  enum class Kind { kHttp, kThink } kind = Kind::kHttp;
  size_t stats_index = 0;  // global step index: the column of this step in metrics::StatsGrid
  CompiledHttpStep http;
  int64_t think_min_ns = 0;
  int64_t think_max_ns = 0;
};

struct CompiledScenario {
  std::string name;
  double weight = 1;
  std::vector<CompiledStep> steps;
};

struct StepInfo {
  std::string scenario;
  std::string name;
};

struct CompiledPlan {
  std::vector<net::SocketAddress> targets;
  std::vector<std::string> target_names;  // "host:port" as the user wrote it
  std::vector<CompiledScenario> scenarios;
  std::vector<StepInfo> steps;  // indexed by CompiledStep::stats_index (think steps included, never counted)
};

// target_url is the plan's target (for `target: builtin`, the URL of the started server). Step URLs that are
// paths join it; absolute step URLs name their own host. Fails on a URL we cannot reach (https is not
// supported yet, unknown host) with a one-line message.
core::Result<CompiledPlan> compile_plan(const plan::Plan& plan, const std::string& target_url);

}  // namespace surge::scenario
