// A segment run (--segment I/N) writes a partial results.json: the usual figures of its segment, plus
// `segment` {index, count} and `partial`, all that `surge merge` needs to rebuild the whole run exactly
// (docs/results.md): the plan's hash, the run's shape, the compiled SLAs, and every second's cells as encoded
// snapshots, histograms included, never only percentiles.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "load/segment.h"
#include "merge/collector.h"
#include "results/run_result.h"
#include "sla/sla.h"

namespace surge::merge {

// Bumped when `partial` changes in a way an older merge cannot read.
constexpr int kPartialFormat = 1;

// What makes a run one segment of a larger one.
struct SegmentRun {
  load::Segment segment;  // {I, N}
  std::string plan_hash;  // the plan file and the flags that change it (cli/segment_flags.h)
};

// Keeps a segment run's completed seconds as they pass, then renders the keys.
class PartialRecorder {
 public:
  explicit PartialRecorder(SegmentRun run) : run_(std::move(run)) {}
  void on_second(const CompletedSecond& second);
  // JSON object text holding `segment` and `partial`, for results::RunResult::segment_keys.
  std::string keys(const results::RunResult& result, const std::vector<sla::Sla>& slas,
                   uint64_t max_requests) const;

 private:
  SegmentRun run_;
  std::vector<std::string> seconds_;  // metrics::encode_frame bodies (without the length prefix)
};

// One part, read back by `surge merge`.
struct Part {
  std::string path;
  uint32_t index = 0;
  uint32_t count = 1;
  std::string plan_hash;
  uint64_t max_requests = 0;  // -n: the whole run's request budget
  // The shape (phases, steps, checks, groups, custom metrics) and the run's own facts (duration, start,
  // interruption, workers, generator cost); its grid and time series stay empty.
  results::RunResult result;
  std::vector<sla::Sla> slas;
  std::vector<std::string> seconds;  // frame bodies, in order
};

// Reads a part from a parsed results.json. Errors are one line naming the file and what is wrong: not a
// partial results.json (no `partial`), a format this build does not read, a missing or mistyped key.
core::Result<Part> read_part(const nlohmann::json& document, const std::string& path);

}  // namespace surge::merge
