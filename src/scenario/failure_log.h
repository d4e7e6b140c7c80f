// --log-requests N: the first failed requests of a worker, with what was sent and what came back (head and
// the first bytes of each body), for debugging a target. Credentials never reach the log (docs/security.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/redaction.h"
#include "metrics/error_kind.h"
#include "plan/plan.h"
#include "scenario/compiled_plan.h"

namespace surge::scenario {

class FailureLog {
 public:
  static constexpr size_t kBodyBytes = 512;  // of each body: enough to read an error message, not a dump

  // Writes at most `budget` records to fd (stderr, or a file opened O_APPEND so workers' records do not
  // mix: each record is one write). The plan gives the secret header names and values; both outlive the log.
  FailureLog(const plan::Plan& plan, const CompiledPlan& compiled, int fd, uint64_t budget);

  bool is_full() const { return written_ >= budget_; }
  // One failed request: the step's column (CompiledStep::stats_index), why it failed, the status (0 when no
  // response head came), the request's bytes and the response bytes kept so far (may be partial or empty).
  // Costs nothing once full; allocates only while it writes.
  // `variables` are the failing user's (by slot): the values of secret captures among them are hidden too.
  void record(size_t step, metrics::ErrorKind kind, int status, std::string_view request, std::string_view response,
              const std::vector<std::string>* variables = nullptr);

 private:
  // One message (request or response) with each line prefixed, secret header values as ***, and at most
  // kBodyBytes of the body, unprintable bytes as '.'.
  void append_message(char prefix, std::string_view message);
  bool is_secret_header(std::string_view name) const;

  const CompiledPlan& compiled_;
  int fd_;
  uint64_t budget_;
  uint64_t written_ = 0;
  core::Redactor redactor_;
  std::vector<std::string> secret_headers_;  // names of `secret: true` headers
  std::string record_;
};

}  // namespace surge::scenario
