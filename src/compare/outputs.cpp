// --out KIND=FILE for surge compare.
#include "compare/outputs.h"

#include <cstdio>

#include "compare/compare_html.h"
#include "compare/compare_json.h"
#include "compare/compare_junit.h"
#include "report/outputs.h"

namespace surge::compare {

core::Result<CompareOutput> parse_compare_output(std::string_view text) {
  const size_t equals = text.find('=');
  const std::string_view kind = text.substr(0, equals);
  if (equals == std::string_view::npos || equals + 1 == text.size() ||
      (kind != "json" && kind != "html" && kind != "junit")) {
    return core::fail("--out '" + std::string(text) +
                      "': expected KIND=FILE with KIND one of json, html, junit");
  }
  return CompareOutput{std::string(kind), std::string(text.substr(equals + 1))};
}

std::string render_compare_output(const Comparison& comparison, std::string_view kind) {
  if (kind == "html") return render_compare_html(comparison);
  if (kind == "junit") return render_compare_junit(comparison);
  return to_compare_json(comparison).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool write_compare_outputs(const Comparison& comparison, const std::vector<CompareOutput>& outputs) {
  bool all_written = true;
  for (const CompareOutput& output : outputs) {
    auto written =
        report::write_file_atomically(output.path, [&](report::OutputSink& sink) -> core::Result<void> {
          sink.write(render_compare_output(comparison, output.kind));
          return {};
        });
    if (!written) {
      std::fprintf(stderr, "surge compare: cannot write %s '%s': %s\n", output.kind.c_str(),
                   output.path.c_str(), written.error().message.c_str());
      all_written = false;
    }
  }
  return all_written;
}

}  // namespace surge::compare
