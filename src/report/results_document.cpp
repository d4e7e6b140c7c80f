#include "report/results_document.h"

namespace surge::report {

ResultsDocument::ResultsDocument(nlohmann::json whole) : head_(std::move(whole)) {
  if (!head_.is_object()) return;
  // A `timeseries` that is not an array stays in the head: the document then has no rows to give.
  if (auto rows = head_.find("timeseries"); rows != head_.end() && rows->is_array()) {
    read_rows_ = std::move(*rows);
    head_.erase(rows);
  }
}

ResultsDocument::ResultsDocument(nlohmann::json head, SecondRows rows)
    : head_(std::move(head)), rows_(std::move(rows)) {}

core::Result<void> ResultsDocument::each_second(const SecondVisitor& visit) const {
  if (rows_) return rows_(visit);
  if (!read_rows_) return core::fail("results.json has no timeseries[]");
  for (const nlohmann::json& second : *read_rows_) {
    if (auto visited = visit(second); !visited) return visited;
  }
  return {};
}

}  // namespace surge::report
