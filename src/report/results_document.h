// results.json as every output reads it, and where outputs go. A run's time series has a row per second (a
// day-long soak: 86,400), and one JSON tree of all of them cost 27 kB of memory per second of run at the end
// of the run, when every output was rendered from it. So the document is split: `head` holds every key but
// `timeseries` (small: it does not grow with the run's length), and the rows are handed out one at a time,
// each built, rendered and dropped before the next. Outputs are written a piece at a time to a sink.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::report {

// Where a rendered output goes: a file being written, stdout, or a string.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void write(std::string_view text) = 0;
};

class StringSink : public OutputSink {
 public:
  void write(std::string_view text) override { text_.append(text); }
  const std::string& text() const { return text_; }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

// Called with each `timeseries[]` row in order; an error stops the pass and is returned by it.
using SecondVisitor = std::function<core::Result<void>(const nlohmann::json& second)>;
// Makes one pass over the rows, calling the visitor with each.
using SecondRows = std::function<core::Result<void>(const SecondVisitor& visit)>;

class ResultsDocument {
 public:
  // A document read whole (surge report, tests): its `timeseries` array, if any, is taken out of the head.
  explicit ResultsDocument(nlohmann::json whole);
  // A run's: the head built without `timeseries`, and the rows made on demand (every pass makes them again).
  ResultsDocument(nlohmann::json head, SecondRows rows);

  const nlohmann::json& head() const { return head_; }
  bool has_timeseries() const { return rows_ != nullptr || read_rows_.has_value(); }
  // One pass over `timeseries[]` (an error is the visitor's, or that the document has no such array).
  core::Result<void> each_second(const SecondVisitor& visit) const;

 private:
  nlohmann::json head_;
  SecondRows rows_;                          // a run's rows, made one at a time
  std::optional<nlohmann::json> read_rows_;  // a document read whole: its array
};

}  // namespace surge::report
