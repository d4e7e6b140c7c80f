// Small readers of a results.json document shared by the writers that rebuild reports from it (csv, hlog,
// html): each report is a pure function of the document, so `surge report` reproduces it exactly.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "report/results_document.h"

namespace surge::report {

// How long second t_s (covering [t_s - 1, t_s) after the start) lasted: 1, except a last second cut short
// by the end of the run at duration_s. Never 0, so rates stay finite.
inline double second_length_s(const nlohmann::json& results, uint64_t t_s) {
  const double left = results.at("duration_s").get<double>() - static_cast<double>(t_s - 1);
  return left > 0 && left < 1 ? left : 1.0;
}

// A number as results.json spells it (shortest text that reads back as the same double).
inline std::string number_text(const nlohmann::json& value) { return value.dump(); }

// Writers read documents that came from disk: a missing key or a wrong type is reported, never thrown.
template <class F>
auto guard_json(const char* kind, F render) -> decltype(render()) {
  try {
    return render();
  } catch (const nlohmann::json::exception& e) {
    return core::fail(std::string("cannot write ") + kind +
                      ": results.json does not have what it needs: " + e.what());
  }
}

// A writer's pass over the rows of `timeseries[]`, which it cannot do without.
inline core::Result<void> each_second(const char* kind, const ResultsDocument& results,
                                      const SecondVisitor& visit) {
  if (!results.has_timeseries()) {
    return core::fail(std::string("cannot write ") + kind +
                      ": results.json does not have what it needs: a timeseries[] array");
  }
  return results.each_second(visit);
}

}  // namespace surge::report
