// Writes the interval log the way Java's HistogramLogWriter does (same header lines, "%.3f" fields), so
// every HdrHistogram log reader accepts it.
#include "report/hlog.h"

#include <fmt/format.h>

#include <ctime>

#include "report/results_fields.h"

namespace surge::report {
namespace {

using nlohmann::json;

// Java's Date.toString() shape ("Sun Nov 23 10:15:00 UTC 2025"), in UTC so the file does not depend on the
// machine's time zone.
std::string utc_date(int64_t unix_ms) {
  const time_t seconds = static_cast<time_t>(unix_ms / 1000);
  tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  strftime(text, sizeof text, "%a %b %d %H:%M:%S UTC %Y", &parts);
  return text;
}

}  // namespace

core::Result<void> render_hlog(const ResultsDocument& document, OutputSink& sink) {
  return guard_json("hlog", [&]() -> core::Result<void> {
    const json& results = document.head();
    const int64_t start_ms = results.at("started_at_unix_ms").get<int64_t>();
    const double start_s = static_cast<double>(start_ms) / 1000.0;
    std::string out = "#[Logged with surge " + results.at("surge_version").get<std::string>() +
                      ": latency in ns from the intended send, one interval per second]\n";
    out += "#[Histogram log format version 1.3]\n";
    out += fmt::format("#[StartTime: {:.3f} (seconds since epoch), {}]\n", start_s, utc_date(start_ms));
    out += fmt::format("#[BaseTime: {:.3f} (seconds since epoch)]\n", start_s);
    out += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
    sink.write(out);
    return each_second("hlog", document, [&](const json& second) -> core::Result<void> {
      const uint64_t t_s = second.at("t_s").get<uint64_t>();
      auto histogram = second.find("latency_hdr");
      if (histogram == second.end()) {
        return core::fail("cannot write hlog: results.json timeseries entry t_s=" + std::to_string(t_s) +
                          " has no latency_hdr (results.json from an older surge?)");
      }
      double max_ms = 0;
      auto latency = second.find("latency_ms");
      if (latency != second.end()) max_ms = latency->at("max").get<double>();
      sink.write(fmt::format("{:.3f},{:.3f},{:.3f},{}\n", static_cast<double>(t_s - 1),
                             second_length_s(results, t_s), max_ms, histogram->get<std::string>()));
      return {};
    });
  });
}

}  // namespace surge::report
