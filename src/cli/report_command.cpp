// `surge report RESULTS.json --out KIND=FILE...`: rebuilds any output from a results.json written earlier,
// through the same writers a run uses, so the files come out byte for byte as the run would have written
// them.
#include <cstdio>
#include <memory>
#include <utility>

#include "cli/commands.h"
#include "cli/results_file.h"
#include "report/outputs.h"
#include "results/exit_code.h"

namespace surge::cli {
namespace {

struct ReportFlags {
  std::string results_path;
  std::vector<std::string> outputs;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "surge report: %s\n", message.c_str());
  return results::kExitUsage;
}

// The document, or a one-line reason naming the file: unreadable, not JSON (with nlohmann's line and
// column), or JSON that is not a results.json object.
core::Result<report::ResultsDocument> load_results(const std::string& path) {
  auto results = read_results_file(path);
  if (!results) return results;
  if (!results->head().is_object() || !results->has_timeseries()) {
    return core::fail("'" + path + "' is not a surge results.json: expected an object with timeseries[]");
  }
  return results;
}

int report_command(const ReportFlags& flags) {
  if (flags.outputs.empty())
    return usage_error("give at least one --out KIND=FILE (kinds: " + report::output_kinds() + ")");
  std::vector<report::OutputRequest> outputs;
  for (const std::string& text : flags.outputs) {
    auto output = report::parse_output_request(text);
    if (!output) return usage_error(output.error().message);
    outputs.push_back(*output);
  }
  auto results = load_results(flags.results_path);
  if (!results) return usage_error(results.error().message);
  return report::write_output_files(*results, outputs) ? 0 : 1;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* command =
      app.add_subcommand("report", "Write reports (csv, html, hlog, ...) from a results.json");
  command->add_option("results", flags->results_path, "results.json written by `surge run --out json=FILE`")
      ->required();
  command->add_option("--out", flags->outputs,
                      "Write an output KIND=FILE (kinds: " + report::output_kinds() + "); repeatable");
  command->callback([flags, &exit_code] { exit_code = report_command(*flags); });
}

}  // namespace surge::cli
