// encode_second_row / decode_second_row: the time series' on-disk form (time_series.h). Only this process
// reads it back, so it has no version: it changes with the struct.
#include <cstring>

#include "metrics/varint.h"
#include "results/time_series.h"

namespace surge::results {
namespace {

using metrics::get_varint;
using metrics::put_varint;

void put_double(std::string& out, double value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

bool get_double(std::string_view& in, double& value) {
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

void put_string(std::string& out, std::string_view text) {
  put_varint(out, text.size());
  out.append(text);
}

bool get_string(std::string_view& in, std::string& text) {
  uint64_t size = 0;
  if (!get_varint(in, size) || size > in.size()) return false;
  text.assign(in.substr(0, size));
  in.remove_prefix(size);
  return true;
}

template <class T>
bool get_number(std::string_view& in, T& value) {
  uint64_t raw = 0;
  if (!get_varint(in, raw)) return false;
  value = static_cast<T>(raw);
  return true;
}

using ByError = std::array<uint64_t, metrics::kErrorKindCount>;

void put_by_error(std::string& out, const ByError& by_error) {
  size_t kinds = 0;
  for (uint64_t count : by_error) kinds += count != 0 ? 1 : 0;
  put_varint(out, kinds);
  for (size_t kind = 0; kind < by_error.size(); ++kind) {
    if (by_error[kind] == 0) continue;
    put_varint(out, kind);
    put_varint(out, by_error[kind]);
  }
}

bool get_by_error(std::string_view& in, ByError& by_error) {
  by_error.fill(0);
  uint64_t kinds = 0;
  if (!get_varint(in, kinds)) return false;
  for (uint64_t i = 0; i < kinds; ++i) {
    uint64_t kind = 0;
    if (!get_varint(in, kind) || kind >= by_error.size() || !get_varint(in, by_error[kind])) return false;
  }
  return true;
}

void put_latency(std::string& out, const std::optional<SecondLatency>& latency) {
  out.push_back(latency ? 1 : 0);
  if (!latency) return;
  for (double value : {latency->p50_ms, latency->p90_ms, latency->p95_ms, latency->p99_ms, latency->max_ms}) {
    put_double(out, value);
  }
}

bool get_latency(std::string_view& in, std::optional<SecondLatency>& latency) {
  if (in.empty()) return false;
  const bool present = in.front() == 1;
  in.remove_prefix(1);
  latency.reset();
  if (!present) return true;
  SecondLatency& value = latency.emplace();
  return get_double(in, value.p50_ms) && get_double(in, value.p90_ms) && get_double(in, value.p95_ms) &&
         get_double(in, value.p99_ms) && get_double(in, value.max_ms);
}

// The counts a row and a step row share.
void put_counts(std::string& out, uint64_t requests, uint64_t ok, uint64_t errors, const ByError& by_error) {
  put_varint(out, requests);
  put_varint(out, ok);
  put_varint(out, errors);
  put_by_error(out, by_error);
}

bool get_counts(std::string_view& in, uint64_t& requests, uint64_t& ok, uint64_t& errors, ByError& by_error) {
  return get_varint(in, requests) && get_varint(in, ok) && get_varint(in, errors) &&
         get_by_error(in, by_error);
}

// Monotonic times are never negative; a varint of the value as unsigned keeps them small and exact.
void put_time(std::string& out, int64_t ns) { put_varint(out, static_cast<uint64_t>(ns)); }

}  // namespace

void encode_second_row(const SecondRow& row, std::string& out) {
  put_varint(out, row.second);
  put_string(out, row.phase);
  put_counts(out, row.requests, row.ok, row.errors, row.by_error);
  put_varint(out, row.active_users);
  put_varint(out, row.open_connections);
  put_latency(out, row.latency);
  put_string(out, row.latency_encoded);
  put_varint(out, row.steps.size());
  for (const StepSecond& step : row.steps) {
    put_varint(out, step.step);
    put_counts(out, step.requests, step.ok, step.errors, step.by_error);
    put_latency(out, step.latency);
  }
  out.push_back(row.target ? 1 : 0);
  if (row.target) {
    put_double(out, row.target->cpu_s);
    put_double(out, row.target->cpu_percent);
    put_varint(out, row.target->rss_bytes);
    put_varint(out, row.target->open_fds);
    put_varint(out, row.target->threads);
  }
  put_time(out, row.outcomes.first_ok_ns);
  put_time(out, row.outcomes.last_error_ns);
  put_time(out, row.outcomes.first_ok_after_error_ns);
}

bool decode_second_row(std::string_view in, SecondRow& row) {
  uint64_t steps = 0;
  if (!get_number(in, row.second) || !get_string(in, row.phase) ||
      !get_counts(in, row.requests, row.ok, row.errors, row.by_error) || !get_number(in, row.active_users) ||
      !get_number(in, row.open_connections) || !get_latency(in, row.latency) ||
      !get_string(in, row.latency_encoded) || !get_varint(in, steps) || steps > in.size()) {
    return false;
  }
  row.steps.resize(steps);
  for (StepSecond& step : row.steps) {
    if (!get_number(in, step.step) || !get_counts(in, step.requests, step.ok, step.errors, step.by_error) ||
        !get_latency(in, step.latency)) {
      return false;
    }
  }
  if (in.empty()) return false;
  const bool has_target = in.front() == 1;
  in.remove_prefix(1);
  row.target.reset();
  if (has_target) {
    TargetSample& target = row.target.emplace();
    if (!get_double(in, target.cpu_s) || !get_double(in, target.cpu_percent) ||
        !get_number(in, target.rss_bytes) || !get_number(in, target.open_fds) ||
        !get_number(in, target.threads)) {
      return false;
    }
  }
  return get_number(in, row.outcomes.first_ok_ns) && get_number(in, row.outcomes.last_error_ns) &&
         get_number(in, row.outcomes.first_ok_after_error_ns) && in.empty();
}

}  // namespace surge::results
