// JUnit XML by hand: the format is a handful of elements, and escaping is the only subtle part (XML 1.0
// allows no control characters but tab, newline and carriage return, even as references).
#include "report/junit.h"

#include <fmt/format.h>

#include <ctime>

#include "report/html.h"
#include "report/results_fields.h"
#include "report/sla_table.h"

namespace surge::report {
namespace {

// XML attribute text: HTML's escaping is valid XML; control characters XML 1.0 forbids become '?'.
std::string escape(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') c = '?';
  }
  return html_escape(clean);
}

// JUnit's timestamp: ISO 8601 without a zone (the schema's xs:dateTime pattern); ours is UTC.
std::string timestamp(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

std::string property(std::string_view name, std::string_view value) {
  return fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", escape(name), escape(value));
}

std::string testcase(const results::SlaOutcome& sla, const std::string& classname) {
  std::string out = fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"", escape(sla.expr),
                                escape(classname));
  if (sla.pass) return out + "/>\n";
  std::string description = describe_sla_outcome(sla);
  out += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}: {}</failure>\n    </testcase>\n",
                     escape(description), sla.actual ? "sla_failed" : "sla_no_data", escape(sla.expr),
                     escape(description));
  return out;
}

std::string render(const nlohmann::json& results) {
  std::vector<results::SlaOutcome> slas;
  if (results.contains("sla")) {
    for (const nlohmann::json& entry : results.at("sla")) slas.push_back(sla_outcome_from_json(entry));
  }
  size_t failures = 0;
  for (const results::SlaOutcome& sla : slas) failures += sla.pass ? 0 : 1;
  const std::string time = number_text(results.at("duration_s"));
  const std::string plan = results.at("plan").get<std::string>();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"surge\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n",
                     slas.size(), failures, time);
  out += fmt::format(
      "  <testsuite name=\"surge SLAs\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{}\" "
      "timestamp=\"{}\">\n",
      slas.size(), failures, time, timestamp(results.at("started_at_unix_ms").get<int64_t>()));
  out += "    <properties>\n" + property("plan", plan);
  if (results.contains("target_url"))
    out += property("target_url", results.at("target_url").get<std::string>());
  out += property("result", results.at("result").get<std::string>());
  if (results.contains("stop_reason"))
    out += property("stop_reason", results.at("stop_reason").get<std::string>());
  // A CI page must show that the figures cover only part of the plan.
  if (results.value("interrupted", false)) {
    out += property("interrupted_at_s", number_text(results.value("interrupted_at_s", nlohmann::json(0.0))));
  }
  out += "    </properties>\n";
  for (const results::SlaOutcome& sla : slas) out += testcase(sla, "surge.sla." + plan);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace

results::SlaOutcome sla_outcome_from_json(const nlohmann::json& entry) {
  results::SlaOutcome sla;
  sla.expr = entry.at("expr").get<std::string>();
  sla.comparison = entry.at("comparison").get<std::string>();
  sla.threshold = entry.at("threshold").get<double>();
  sla.unit = entry.at("unit").get<std::string>();
  if (!entry.at("actual").is_null()) sla.actual = entry.at("actual").get<double>();
  sla.pass = entry.at("pass").get<bool>();
  if (entry.contains("window_s")) sla.window_s = entry.at("window_s").get<uint32_t>();
  if (entry.contains("worst_window_at_s"))
    sla.worst_window_at_s = entry.at("worst_window_at_s").get<uint64_t>();
  if (entry.contains("breached_at_s")) sla.breached_at_s = entry.at("breached_at_s").get<uint64_t>();
  sla.abort_on_fail = entry.value("abort_on_fail", false);
  sla.stopped_run = entry.value("stopped_run", false);
  return sla;
}

core::Result<void> render_junit(const ResultsDocument& results, OutputSink& out) {
  return guard_json("junit", [&]() -> core::Result<void> {
    out.write(render(results.head()));
    return {};
  });
}

}  // namespace surge::report
