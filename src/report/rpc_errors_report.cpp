// The reports' view of metrics::RpcErrorCounts, summed over phases per step.
#include "report/rpc_errors_report.h"

#include <fmt/format.h>

namespace surge::report {
namespace {

metrics::RpcErrorCounts step_errors(const results::RunResult& result, size_t step) {
  metrics::RpcErrorCounts sum;
  for (size_t phase = 0; phase < result.grid.phase_count(); ++phase) sum.add(result.grid.cell(phase, step).rpc_errors);
  return sum;
}

}  // namespace

nlohmann::json rpc_errors_block(const metrics::RpcErrorCounts& errors) {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < metrics::RpcErrorCounts::kSlots && errors.counts[i] != 0; ++i) {
    out[std::to_string(errors.codes[i])] = errors.counts[i];
  }
  if (errors.other != 0) out["other"] = errors.other;
  return out;
}

std::string rpc_errors_summary(const results::RunResult& result) {
  std::string out;
  for (size_t step = 0; step < result.steps.size(); ++step) {
    if (!result.steps[step].is_request) continue;
    metrics::RpcErrorCounts errors = step_errors(result, step);
    if (errors.empty()) continue;
    out += fmt::format("    {} / {}:", result.steps[step].scenario, result.steps[step].name);
    for (size_t i = 0; i < metrics::RpcErrorCounts::kSlots && errors.counts[i] != 0; ++i) {
      out += fmt::format(" {} x{}", errors.codes[i], errors.counts[i]);
    }
    if (errors.other != 0) out += fmt::format(" other x{}", errors.other);
    out += "\n";
  }
  return out.empty() ? out : "\n  JSON-RPC errors by code\n" + out;
}

}  // namespace surge::report
