// compile_slas: every `sla:` entry (and --sla flag) parsed and bound, with each problem turned into a plan
// Diagnostic that points into the YAML file, so `surge validate` and `surge run` print them like any other.
#include <chrono>

#include "sla/sla.h"

namespace surge::sla {
namespace {

plan::Diagnostic diagnostic_of(const plan::SlaEntry& entry, const ExpressionError& error) {
  std::string column = "(column " + std::to_string(error.column) + "): ";
  if (entry.where.file.empty()) return {{}, "invalid --sla '" + entry.expr + "' " + column + error.message};
  plan::SourceLocation where = entry.where;
  if (where.line > 0) where.column += error.column - 1;
  return {where, "invalid SLA '" + entry.expr + "' " + column + error.message};
}

}  // namespace

core::Result<std::vector<Sla>, plan::Diagnostics> compile_slas(const plan::Plan& plan) {
  std::vector<Sla> slas;
  plan::Diagnostics diagnostics;
  for (const plan::SlaEntry& entry : plan.slas) {
    auto parsed = parse_expression(entry.expr);
    if (!parsed) {
      diagnostics.push_back(diagnostic_of(entry, parsed.error()));
      continue;
    }
    auto bound = bind_expression(std::move(parsed).value(), plan);
    if (!bound) {
      diagnostics.push_back(diagnostic_of(entry, bound.error()));
      continue;
    }
    Sla sla = std::move(bound).value();
    const bool at_the_end = sla.metric == Metric::kRecovery || sla.metric == Metric::kSettle;
    if (at_the_end && (entry.window || entry.abort_on_fail)) {
      diagnostics.push_back(diagnostic_of(
          entry, {1, sla.expression.metric + " is measured once the run has ended: it takes no window or abort_on_fail"}));
      continue;
    }
    if (entry.window)
      sla.window_s =
          static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(*entry.window).count());
    sla.abort_on_fail = entry.abort_on_fail;
    sla.delay_ns = entry.delay.count();
    slas.push_back(std::move(sla));
  }
  if (!diagnostics.empty()) return core::Unexpected<plan::Diagnostics>{std::move(diagnostics)};
  return slas;
}

}  // namespace surge::sla
