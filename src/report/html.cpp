// HTML rendering: the page, style and script are compiled-in assets (see CMakeLists.txt); this file builds
// the data the script draws from and puts each piece into the template's {{NAME}} slots in one pass.
#include "report/html.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "core/clock.h"
#include "metrics/hdr_log.h"
#include "report/html_assets.h"
#include "report/results_fields.h"
#include "report/sla_table.h"

namespace surge::report {
namespace {

using nlohmann::json;

double ms(int64_t ns) { return static_cast<double>(ns) / static_cast<double>(core::kNsPerMs); }

// HdrHistogram's percentile distribution: 5 points per halving of the remaining tail (50%, 56.5%, ...,
// 99%, ...), up to where count samples still resolve a rank, then the max. The V2 encoding holds only bucket
// counts, so values are kept within the exact min and max of latency_ms, as the run's own percentiles are:
// the points then equal what the run's histogram reports.
core::Result<json> distribution(const json& results) {
  json points = json::array();
  auto encoded = results.find("latency_hdr");
  if (encoded == results.end()) return points;
  auto histogram = metrics::decode_hdr_base64(encoded->get<std::string>());
  if (!histogram) return core::fail("cannot write html: latency_hdr: " + histogram.error().message);
  double lowest_ms = ms(histogram->min()), highest_ms = ms(histogram->max());
  if (auto exact = results.find("latency_ms"); exact != results.end()) {
    lowest_ms = exact->at("min").get<double>();
    highest_ms = exact->at("max").get<double>();
  }
  const auto at = [&](double percentile) {
    return std::clamp(ms(histogram->value_at_percentile(percentile)), lowest_ms, highest_ms);
  };
  const double count = static_cast<double>(histogram->count());
  for (int tick = 0;; ++tick) {
    const double tail = std::pow(2.0, -tick / 5.0);  // the fraction of samples above this percentile
    if (1.0 / tail > count || tick > 5 * 20) break;
    const double percentile = 100.0 * (1.0 - tail);
    points.push_back({{"percentile", percentile}, {"latency_ms", at(percentile)}});
  }
  if (count > 0) points.push_back({{"percentile", 100.0}, {"latency_ms", highest_ms}});
  return points;
}

// Each SLA's actual value as the terminal summary writes it ("79.6218%", "2.51699ms": format_sla_value), so
// the page rounds as the summary does; page data only, results.json keeps the exact value.
void add_sla_texts(json& data) {
  auto slas = data.find("sla");
  if (slas == data.end() || !slas->is_array()) return;
  for (json& sla : *slas) {
    const auto actual = sla.find("actual");
    const auto unit = sla.find("unit");
    if (actual == sla.end() || !actual->is_number()) continue;
    sla["actual_text"] =
        format_sla_value(actual->get<double>(),
                         unit != sla.end() && unit->is_string() ? unit->get<std::string>() : std::string());
  }
}

// What the page needs of the document, as script-safe JSON: everything except the histograms it cannot read
// (the run's, each phase's and each step's) and the per-second step rows it does not draw, which would only
// make the file larger. The time series is written a row at a time.
core::Result<void> write_page_data(const ResultsDocument& results, json distribution_points,
                                   OutputSink& out) {
  // Invalid UTF-8 in a name from the plan becomes U+FFFD instead of failing the whole report.
  const auto compact = [](const json& value) {
    return script_safe_json(value.dump(-1, ' ', false, json::error_handler_t::replace));
  };
  json data = results.head();
  data.erase("latency_hdr");
  data.erase("service_time_hdr");
  for (const char* list : {"phases", "steps"}) {
    if (auto entries = data.find(list); entries != data.end() && entries->is_array()) {
      for (json& entry : *entries) {
        if (entry.is_object()) entry.erase("latency_hdr");
      }
    }
  }
  data["distribution"] = std::move(distribution_points);
  add_sla_texts(data);
  std::string text = compact(data);
  if (!results.has_timeseries()) {
    out.write(text);
    return {};
  }
  text.pop_back();  // the closing brace: the rows follow
  out.write(text);
  out.write(",\"timeseries\":[");
  bool first = true;
  auto written = results.each_second([&](const json& second) -> core::Result<void> {
    json drawn = second;
    drawn.erase("latency_hdr");
    drawn.erase("steps");
    if (!first) out.write(",");
    first = false;
    out.write(compact(drawn));
    return {};
  });
  if (!written) return written;
  out.write("]}");
  return {};
}

using Slot = std::function<core::Result<void>(OutputSink&)>;

// Writes the page with each {{NAME}} replaced by what its slot writes; inserted text is never scanned again,
// so a plan name that looks like a slot stays text.
core::Result<void> fill_template(std::string_view page, const std::map<std::string, Slot, std::less<>>& slots,
                                 OutputSink& out) {
  for (size_t at = 0; at < page.size();) {
    const size_t open = page.find("{{", at);
    const size_t close = open == std::string_view::npos ? open : page.find("}}", open);
    auto slot =
        close == std::string_view::npos ? slots.end() : slots.find(page.substr(open + 2, close - open - 2));
    if (slot == slots.end()) {
      const size_t end = open == std::string_view::npos ? page.size() : open + 2;
      out.write(page.substr(at, end - at));
      at = end;
      continue;
    }
    out.write(page.substr(at, open - at));
    if (auto filled = slot->second(out); !filled) return filled;
    at = close + 2;
  }
  return {};
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string script_safe_json(std::string_view json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (char c : json_text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

core::Result<void> render_html(const ResultsDocument& results, OutputSink& out) {
  return guard_json("html", [&]() -> core::Result<void> {
    auto points = distribution(results.head());
    if (!points) return core::fail(points.error().message);
    const auto text = [](std::string value) {
      return [value = std::move(value)](OutputSink& sink) -> core::Result<void> {
        sink.write(value);
        return {};
      };
    };
    const std::string title = "surge report: " + results.head().at("plan").get<std::string>();
    return fill_template(
        assets::kReportHtml,
        {{"TITLE", text(html_escape(title))},
         {"STYLE", text(std::string(assets::kReportCss))},
         {"SCRIPT", text(std::string(assets::kReportJs))},
         {"DATA", [&](OutputSink& sink) { return write_page_data(results, std::move(*points), sink); }}},
        out);
  });
}

}  // namespace surge::report
