// `surge compare BASE.json NEW.json [--max METRIC=LIMIT]... [--out KIND=FILE]...`: two runs of one plan,
// scope by scope and metric by metric, judged against limits and the runs' own noise; exit 99 when a metric
// regressed (docs/compare.md).
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/results_file.h"
#include "compare/comparison.h"
#include "compare/limits.h"
#include "compare/outputs.h"
#include "compare/plan_match.h"
#include "compare/results_reader.h"
#include "compare/table.h"
#include "results/exit_code.h"

namespace surge::cli {
namespace {

struct CompareFlags {
  std::string base_path, candidate_path;
  std::vector<std::string> limits;
  std::vector<std::string> outputs;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "surge compare: %s\n", message.c_str());
  return results::kExitUsage;
}

core::Result<compare::RunFigures> load_figures(const std::string& path) {
  auto document = read_results_file(path);
  if (!document) return core::fail(document.error().message);
  return compare::read_run_figures(*document, path);
}

int compare_command(const CompareFlags& flags) {
  auto limits = compare::parse_limits(flags.limits);
  if (!limits) return usage_error(limits.error().message);
  std::vector<compare::CompareOutput> outputs;
  for (const std::string& text : flags.outputs) {
    auto output = compare::parse_compare_output(text);
    if (!output) return usage_error(output.error().message);
    outputs.push_back(*output);
  }
  auto base = load_figures(flags.base_path);
  if (!base) return usage_error(base.error().message);
  auto candidate = load_figures(flags.candidate_path);
  if (!candidate) return usage_error(candidate.error().message);
  if (auto mismatch = compare::find_plan_mismatch(*base, *candidate))
    return usage_error(compare::describe_plan_mismatch(*mismatch, flags.base_path, flags.candidate_path));
  const compare::Comparison comparison = compare::compare_runs(*base, *candidate, *limits);
  std::fputs(compare::render_table(comparison).c_str(), stdout);
  std::fflush(stdout);
  if (!compare::write_compare_outputs(comparison, outputs)) return results::kExitRunFailed;
  return comparison.has_regression() ? results::kExitRegressed : results::kExitPass;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Compare two runs of one plan (results.json): exit 99 when a metric regressed beyond its limit");
  command->add_option("base", flags->base_path, "The base run's results.json (or surge merge's)")->required();
  command->add_option("new", flags->candidate_path, "The new run's results.json, judged against the base")
      ->required();
  command->add_option(
      "--max", flags->limits,
      "Limits replacing the defaults of the metrics they name: METRIC=LIMIT[,...], e.g. p95=+20%, "
      "throughput=-10%, error_rate=+1pp, p999=off (defaults: p50=+10%,p95=+10%,p99=+15%,"
      "error_rate=+0.5pp,throughput=-5%); repeatable");
  command->add_option("--out", flags->outputs,
                      "Write an output KIND=FILE (kinds: json, html, junit); repeatable");
  command->callback([flags, &exit_code] { exit_code = compare_command(*flags); });
}

}  // namespace surge::cli
