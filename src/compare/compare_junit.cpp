// JUnit XML by hand, as report/junit.cpp writes the SLAs': a handful of elements, escaping the only subtle
// part.
#include "compare/compare_junit.h"

#include <fmt/format.h>

#include "compare/format.h"
#include "report/html.h"

namespace surge::compare {
namespace {

// XML attribute and text: HTML's escaping is valid XML; control characters XML 1.0 forbids become '?'.
std::string escape(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') c = '?';
  }
  return report::html_escape(clean);
}

// "p50 10.21ms -> 15.23ms (+49.2%), limit +10%, noise ±0.8%"
std::string description(const MetricDelta& m) {
  std::string out = fmt::format("{} {} -> {} ({})", metric_name(m.metric), value_text(m.metric, m.base),
                                value_text(m.metric, m.candidate), delta_text(m.metric, m.delta));
  if (m.limit) out += ", limit " + limit_text(m.metric, *m.limit);
  if (m.noise) out += ", noise " + noise_text(m.metric, m.noise);
  return out;
}

std::string testcase(const MetricDelta& m, const std::string& classname) {
  std::string out = fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
                                metric_name(m.metric), escape(classname));
  const std::string text = escape(description(m));
  switch (m.verdict) {
    case Verdict::kPass:
      return out + "/>\n";
    case Verdict::kRegressed:
      return out + fmt::format(
                       ">\n      <failure message=\"{}\" type=\"regressed\">{}</failure>\n    </testcase>\n",
                       text, text);
    case Verdict::kWithinNoise:
      return out + fmt::format(">\n      <system-out>within noise: {}</system-out>\n    </testcase>\n", text);
    case Verdict::kNotJudged:
      return out + fmt::format(">\n      <skipped message=\"no limit: {}\"/>\n    </testcase>\n", text);
    case Verdict::kNoData:
      return out + fmt::format(">\n      <skipped message=\"no data: {}\"/>\n    </testcase>\n", text);
  }
  return out + "/>\n";
}

}  // namespace

std::string render_compare_junit(const Comparison& comparison) {
  const size_t tests = comparison.scopes.size() * kMetricCount;
  const size_t skipped = comparison.count(Verdict::kNotJudged) + comparison.count(Verdict::kNoData);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"surge compare\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n", tests,
      comparison.count(Verdict::kRegressed), skipped);
  for (const ScopeComparison& scope : comparison.scopes) {
    size_t failures = 0, scope_skipped = 0;
    for (const MetricDelta& m : scope.metrics) {
      failures += m.verdict == Verdict::kRegressed ? 1 : 0;
      scope_skipped += m.verdict == Verdict::kNotJudged || m.verdict == Verdict::kNoData ? 1 : 0;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                       escape(scope.label), scope.metrics.size(), failures, scope_skipped);
    if (&scope == &comparison.scopes.front()) {
      out += "    <properties>\n";
      out += fmt::format("      <property name=\"plan\" value=\"{}\"/>\n", escape(comparison.base.plan));
      out += fmt::format("      <property name=\"base\" value=\"{}\"/>\n", escape(comparison.base.source));
      out +=
          fmt::format("      <property name=\"new\" value=\"{}\"/>\n", escape(comparison.candidate.source));
      out += "    </properties>\n";
    }
    for (const MetricDelta& m : scope.metrics)
      out += testcase(m, "surge.compare." + comparison.base.plan + "." + scope.label);
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace surge::compare
