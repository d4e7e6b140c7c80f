// HTML rendering: the page, style and script are compiled-in assets (see CMakeLists.txt); this file builds
// the data the script draws from and puts each piece into the template's {{NAME}} slots in one pass.
#include "report/html.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/clock.h"
#include "metrics/hdr_log.h"
#include "report/html_assets.h"
#include "report/results_fields.h"

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

// What the page needs of the document: everything except the histograms it cannot read and the per-second
// step rows it does not draw, which would only make the file larger.
json page_data(const json& results, json distribution_points) {
  json data = results;
  data.erase("latency_hdr");
  data.erase("service_time_hdr");
  if (data.contains("timeseries")) {
    for (json& second : data["timeseries"]) {
      second.erase("latency_hdr");
      second.erase("steps");
    }
  }
  data["distribution"] = std::move(distribution_points);
  return data;
}

// Replaces each {{NAME}} of the template; inserted text is never scanned again, so a plan name that looks
// like a slot stays text.
std::string fill_template(std::string_view page,
                          const std::map<std::string, std::string, std::less<>>& slots) {
  std::string out;
  out.reserve(page.size());
  for (size_t at = 0; at < page.size();) {
    const size_t open = page.find("{{", at);
    const size_t close = open == std::string_view::npos ? open : page.find("}}", open);
    auto slot =
        close == std::string_view::npos ? slots.end() : slots.find(page.substr(open + 2, close - open - 2));
    if (slot == slots.end()) {
      const size_t end = open == std::string_view::npos ? page.size() : open + 2;
      out.append(page.substr(at, end - at));
      at = end;
      continue;
    }
    out.append(page.substr(at, open - at));
    out.append(slot->second);
    at = close + 2;
  }
  return out;
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

core::Result<std::string> render_html(const json& results) {
  return guard_json("html", [&]() -> core::Result<std::string> {
    auto points = distribution(results);
    if (!points) return core::fail(points.error().message);
    const json data = page_data(results, std::move(*points));
    // Invalid UTF-8 in a name from the plan becomes U+FFFD instead of failing the whole report.
    const std::string data_text = data.dump(-1, ' ', false, json::error_handler_t::replace);
    const std::string title = "surge report: " + results.at("plan").get<std::string>();
    return fill_template(assets::kReportHtml, {{"TITLE", html_escape(title)},
                                               {"STYLE", std::string(assets::kReportCss)},
                                               {"SCRIPT", std::string(assets::kReportJs)},
                                               {"DATA", script_safe_json(data_text)}});
  });
}

}  // namespace surge::report
