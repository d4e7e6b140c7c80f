// The failed-request log: built only for a failure while the budget lasts, so a run without --log-requests
// (or past its N records) pays one null or size check per failure.
#include "scenario/failure_log.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <variant>

namespace surge::scenario {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void add_secret_names(const std::vector<plan::Header>& headers, std::vector<std::string>& names) {
  for (const plan::Header& header : headers) {
    if (header.secret) names.push_back(header.name);
  }
}

}  // namespace

FailureLog::FailureLog(const plan::Plan& plan, const CompiledPlan& compiled, int fd, uint64_t budget)
    : compiled_(compiled), fd_(fd), budget_(budget), redactor_(plan.secrets) {
  add_secret_names(plan.headers, secret_headers_);
  for (const plan::Scenario& scenario : plan.scenarios) {
    for (const plan::Step& step : scenario.steps) {
      if (const auto* http = std::get_if<plan::HttpStep>(&step)) add_secret_names(http->headers, secret_headers_);
      if (const auto* ws = std::get_if<plan::WsStep>(&step)) add_secret_names(ws->headers, secret_headers_);
    }
  }
}

bool FailureLog::is_secret_header(std::string_view name) const {
  if (core::is_sensitive_header(name)) return true;
  return std::any_of(secret_headers_.begin(), secret_headers_.end(),
                     [&](const std::string& secret) { return same_name(secret, name); });
}

void FailureLog::record(size_t step, metrics::ErrorKind kind, int status, std::string_view request,
                        std::string_view response, const std::vector<std::string>* variables) {
  if (is_full()) return;
  ++written_;
  record_.clear();
  const StepInfo* info = step < compiled_.steps.size() ? &compiled_.steps[step] : nullptr;
  record_ += "--- surge: failed request: scenario '" + (info ? info->scenario : std::string("?")) + "', step '" +
             (info ? info->name : std::string("?")) + "', error " + std::string(metrics::to_string(kind));
  if (status > 0) record_ += ", status " + std::to_string(status);
  record_ += "\n";
  append_message('>', request);
  if (response.empty()) record_ += "< (no response bytes)\n";
  else append_message('<', response);
  redactor_.redact_in_place(record_);
  // Captured credentials are known only now, per user. Shorter than 3 bytes: not hidden (as core::Redactor).
  if (variables != nullptr) {
    for (uint32_t slot : compiled_.secret_slots) {
      if (slot >= variables->size() || (*variables)[slot].size() < 3) continue;
      const std::string& value = (*variables)[slot];
      for (size_t at = record_.find(value); at != std::string::npos; at = record_.find(value, at)) {
        record_.replace(at, value.size(), core::kRedacted);
        at += core::kRedacted.size();
      }
    }
  }
  size_t done = 0;
  while (done < record_.size()) {
    const ssize_t n = ::write(fd_, record_.data() + done, record_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a log that cannot be written is dropped: it must never stop the load
    done += static_cast<size_t>(n);
  }
}

void FailureLog::append_message(char prefix, std::string_view message) {
  const size_t head_end = message.find("\r\n\r\n");
  std::string_view head = message.substr(0, head_end);
  bool is_first_line = true;
  while (!head.empty()) {
    const size_t eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
    const size_t colon = line.find(':');
    record_ += prefix;
    record_ += ' ';
    if (!is_first_line && colon != std::string_view::npos && is_secret_header(line.substr(0, colon))) {
      record_.append(line.substr(0, colon + 1)).append(" ").append(core::kRedacted);
    } else {
      record_.append(line);
    }
    record_ += '\n';
    is_first_line = false;
  }
  if (head_end == std::string_view::npos) return;
  std::string_view body = message.substr(head_end + 4);
  if (body.empty()) return;
  record_ += prefix;
  record_ += "\n";
  record_ += prefix;
  record_ += ' ';
  std::string_view shown = body.substr(0, kBodyBytes);
  if (shown.ends_with('\n')) shown.remove_suffix(1);
  for (char c : shown) {
    if (c == '\n') {
      record_ += '\n';
      record_ += prefix;
      record_ += ' ';
    } else {
      record_ += std::isprint(static_cast<unsigned char>(c)) ? c : '.';
    }
  }
  if (body.size() > kBodyBytes) record_ += " [" + std::to_string(body.size() - kBodyBytes) + " more bytes]";
  record_ += '\n';
}

}  // namespace surge::scenario
