// `surge merge PART.json... [--out KIND=FILE]...`: the partial results.json of every segment of a run (surge
// run --segment I/N) become the whole run's summary and outputs, with the SLAs judged on the merged data.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/json_file.h"
#include "merge/merge.h"
#include "report/outputs.h"
#include "results/exit_code.h"

namespace surge::cli {
namespace {

struct MergeFlags {
  std::vector<std::string> parts;
  std::vector<std::string> outputs;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "surge merge: %s\n", message.c_str());
  return results::kExitUsage;
}

int merge_command(const MergeFlags& flags) {
  std::vector<report::OutputRequest> outputs;
  for (const std::string& text : flags.outputs) {
    auto output = report::parse_output_request(text);
    if (!output) return usage_error(output.error().message);
    outputs.push_back(*output);
  }
  std::vector<merge::Part> parts;
  for (const std::string& path : flags.parts) {
    auto document = read_json_file(path);
    if (!document) return usage_error(document.error().message);
    auto part = merge::read_part(*document, path);
    if (!part) return usage_error(part.error().message);
    parts.push_back(std::move(part).value());
  }
  return merge::merge_and_report(parts, outputs);
}

}  // namespace

void add_merge_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* command = app.add_subcommand(
      "merge", "Merge the partial results.json of every segment (surge run --segment I/N) into one run's results");
  command->add_option("parts", flags->parts, "The parts, one per segment: part-*.json")->required();
  command->add_option("--out", flags->outputs,
                      "Write an output KIND=FILE (kinds: " + report::output_kinds() + "); repeatable");
  command->callback([flags, &exit_code] { exit_code = merge_command(*flags); });
}

}  // namespace surge::cli
