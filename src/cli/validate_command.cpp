// `surge validate PLAN`: loads and checks a plan without running it; every problem on stderr, exit 2.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/plan_diagnostics.h"
#include "plan/plan.h"
#include "sla/sla.h"

namespace surge::cli {
namespace {

int validate(const std::string& path) {
  auto plan = plan::load_plan_file(path);
  if (!plan) return print_plan_diagnostics(plan.error());
  auto slas = sla::compile_slas(*plan);
  if (!slas) return print_plan_diagnostics(slas.error());
  size_t steps = 0;
  for (const plan::Scenario& scenario : plan->scenarios) steps += scenario.steps.size();
  double seconds = std::chrono::duration<double>(plan->total_duration()).count();
  std::printf("%s: ok (%zu phases, %.0f s; %zu scenarios, %zu steps; %zu SLAs)\n", path.c_str(), plan->phases.size(),
              seconds, plan->scenarios.size(), steps, slas->size());
  return 0;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("validate", "Check a plan file without running it");
  command->add_option("plan", *path, "Plan file (YAML)")->required();
  command->callback([path, &exit_code] { exit_code = validate(*path); });
}

}  // namespace surge::cli
