// Merging segment runs. Each part plays one worker of a Collector: its seconds are snapshots numbered from
// the shared start (--start-at), so the sums per second and in total are what one process collecting every
// worker of every part would have seen.
#include "merge/merge.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "merge/collector.h"
#include "metrics/snapshot.h"
#include "report/summary.h"
#include "results/exit_code.h"
#include "sla/watch.h"

namespace surge::merge {
namespace {

std::string segment_name(uint32_t index, uint32_t count) {
  return std::to_string(index) + "/" + std::to_string(count);
}

// The run's own facts over the parts: they started together, so the run lasted as long as its longest part;
// it was interrupted or stopped when any part was; its cost is the sum of theirs.
void merge_run_facts(const std::vector<const Part*>& parts, results::RunResult& result) {
  result.started_at_unix_ms = parts.front()->result.started_at_unix_ms;
  for (const Part* part : parts) {
    const results::RunResult& facts = part->result;
    result.started_at_unix_ms = std::min(result.started_at_unix_ms, facts.started_at_unix_ms);
    result.duration_s = std::max(result.duration_s, facts.duration_s);
    result.interrupted = result.interrupted || facts.interrupted;
    if (facts.interrupted_at_s &&
        (!result.interrupted_at_s || *facts.interrupted_at_s < *result.interrupted_at_s)) {
      result.interrupted_at_s = facts.interrupted_at_s;
    }
    if (result.stop_reason.empty() && !facts.stop_reason.empty()) {
      result.stop_reason = "segment " + segment_name(part->index, part->count) + ": " + facts.stop_reason;
    }
    result.workers.insert(result.workers.end(), facts.workers.begin(), facts.workers.end());
    result.generator_cpu_s += facts.generator_cpu_s;
    result.generator_peak_rss_bytes += facts.generator_peak_rss_bytes;
  }
}

}  // namespace

core::Result<void> check_parts(const std::vector<Part>& parts) {
  if (parts.empty()) return core::fail("no parts to merge");
  const Part& first = parts.front();
  std::map<uint32_t, const Part*> by_index;
  for (const Part& part : parts) {
    if (part.plan_hash != first.plan_hash) {
      return core::fail("'" + part.path + "' is from a different plan than '" + first.path + "' (plan hash " +
                        part.plan_hash.substr(0, 12) + " vs " + first.plan_hash.substr(0, 12) +
                        "): merge the segments of one plan, run with the same plan file and flags");
    }
    if (part.count != first.count) {
      return core::fail("'" + part.path + "' is segment " + segment_name(part.index, part.count) + " but '" +
                        first.path + "' is segment " + segment_name(first.index, first.count) +
                        ": every part must split the plan into the same number of segments");
    }
    auto [it, inserted] = by_index.emplace(part.index, &part);
    if (!inserted) {
      return core::fail("segment " + segment_name(part.index, part.count) + " is given twice: '" +
                        it->second->path + "' and '" + part.path + "'");
    }
  }
  std::string missing;
  for (uint32_t index = 0; index < first.count; ++index) {
    if (by_index.count(index) == 0)
      missing += (missing.empty() ? "" : ", ") + segment_name(index, first.count);
  }
  if (!missing.empty()) {
    return core::fail("missing segment" + std::string(missing.find(',') == std::string::npos ? " " : "s ") +
                      missing + " (got " + std::to_string(parts.size()) + " of " +
                      std::to_string(first.count) + ")");
  }
  return {};
}

core::Result<results::RunResult> merge_parts(const std::vector<Part>& unordered) {
  std::vector<const Part*> parts;
  for (const Part& part : unordered) parts.push_back(&part);
  std::sort(parts.begin(), parts.end(), [](const Part* a, const Part* b) { return a->index < b->index; });

  results::RunResult result;
  result.shape() = parts.front()->result.shape();
  merge_run_facts(parts, result);

  const std::vector<std::string> phase_names = result.phase_names();
  Collector collector(phase_names, result.steps.size(), parts.size());
  metrics::Snapshot snapshot(phase_names.size(), result.steps.size());
  for (uint32_t worker = 0; worker < parts.size(); ++worker) {
    const Part& part = *parts[worker];
    for (size_t k = 0; k < part.seconds.size(); ++k) {
      auto decoded = metrics::decode_frame(part.seconds[k], snapshot);
      if (decoded && snapshot.grid.phase_count() == phase_names.size() &&
          snapshot.grid.step_count() == result.steps.size()) {
        snapshot.worker = worker;
        snapshot.is_final = k + 1 == part.seconds.size();
        decoded = collector.on_snapshot(snapshot);
      } else if (decoded) {
        decoded = core::fail("the grid's shape differs from the plan's");
      }
      if (!decoded) {
        return core::fail("'" + part.path + "': partial.seconds[" + std::to_string(k) +
                          "] does not decode: " + decoded.error().message);
      }
    }
    if (part.seconds.empty()) collector.on_worker_gone(worker);
  }

  sla::SlaWatch sla_watch(parts.front()->slas);
  for (CompletedSecond& second : collector.take_completed_seconds()) {
    (void)sla_watch.on_second(second.row.second, second.phase, second.grid);
    result.timeseries.push_back(std::move(second.row));
  }
  collector.fill_result(result, parts.front()->max_requests);  // phase durations as surge run sets them
  result.slas = sla_watch.outcomes(result);
  result.exit_code = results::decide_exit_code(result);
  return result;
}

int merge_and_report(const std::vector<Part>& parts, const std::vector<report::OutputRequest>& outputs) {
  if (auto checked = check_parts(parts); !checked) {
    std::fprintf(stderr, "surge merge: %s\n", checked.error().message.c_str());
    return results::kExitUsage;
  }
  auto merged = merge_parts(parts);
  if (!merged) {
    std::fprintf(stderr, "surge merge: %s\n", merged.error().message.c_str());
    return results::kExitUsage;
  }
  std::fputs(report::render_summary(*merged).c_str(), stdout);
  std::fflush(stdout);
  const int output_code = report::write_outputs(*merged, outputs);
  return output_code != 0 ? output_code : merged->exit_code;
}

}  // namespace surge::merge
