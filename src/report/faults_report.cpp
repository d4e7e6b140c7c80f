// faults_block and faults_summary: one entry per fault of the plan's timeline.
#include "report/faults_report.h"

#include <fmt/format.h>

namespace surge::report {
namespace {

std::string kinds_text(const results::FaultOutcome& fault) {
  std::string text;
  for (size_t kind = 0; kind < fault.errors_by_kind.size(); ++kind) {
    if (fault.errors_by_kind[kind] == 0) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", metrics::kErrorKindNames[kind], fault.errors_by_kind[kind]);
  }
  return text;
}

}  // namespace

nlohmann::json faults_block(const results::RunResult& result) {
  nlohmann::json out = nlohmann::json::array();
  for (const results::FaultOutcome& fault : result.faults) {
    nlohmann::json by_kind = nlohmann::json::object();
    for (size_t kind = 0; kind < fault.errors_by_kind.size(); ++kind) {
      if (fault.errors_by_kind[kind] != 0) by_kind[std::string(metrics::kErrorKindNames[kind])] = fault.errors_by_kind[kind];
    }
    nlohmann::json entry = {{"kind", fault.kind},       {"at_s", fault.at_s},     {"for_s", fault.for_s},
                            {"stable_s", fault.stable_s}, {"errors", fault.errors}, {"errors_by_kind", by_kind}};
    entry["end_s"] = fault.end_s < 0 ? nlohmann::json() : nlohmann::json(fault.end_s);
    entry["recovery_s"] = fault.recovery_s ? nlohmann::json(*fault.recovery_s) : nlohmann::json();
    if (!fault.failure.empty()) entry["failure"] = fault.failure;
    if (!fault.command_status.empty()) entry["command_status"] = fault.command_status;
    out.push_back(entry);
  }
  return out;
}

std::string faults_summary(const results::RunResult& result) {
  if (result.faults.empty()) return "";
  std::string out = "\n  faults\n";
  for (const results::FaultOutcome& fault : result.faults) {
    std::string window = fault.for_s > 0 ? fmt::format("at {:.3g}s for {:.3g}s", fault.at_s, fault.for_s)
                                         : fmt::format("at {:.3g}s", fault.at_s);
    std::string recovery = !fault.failure.empty() ? "not applied: " + fault.failure
                           : fault.recovery_s     ? fmt::format("recovered in {:.3f}s", *fault.recovery_s)
                                                  : fmt::format("not recovered (no {:.3g}s healthy period)", fault.stable_s);
    out += fmt::format("    {:<11} {:<18} {}, {} errors", fault.kind, window, recovery, fault.errors);
    if (fault.errors > 0) out += " (" + kinds_text(fault) + ")";
    if (!fault.command_status.empty()) out += ", command " + fault.command_status;
    out += "\n";
  }
  return out;
}

}  // namespace surge::report
