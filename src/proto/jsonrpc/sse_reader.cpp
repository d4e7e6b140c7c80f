// The event-stream reader. Lines are handled in place in the input when they arrive whole, and copied
// only when a read boundary splits one; field values are copied into the event's buffers because an event
// may span several reads.
#include "proto/jsonrpc/sse_reader.h"

#include <charconv>

namespace surge::proto::jsonrpc {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

void SseReader::reset() {
  line_.clear();
  data_.clear();
  type_.clear();
  last_id_.clear();
  error_.clear();
  retry_ms_ = -1;
  skip_lf_ = false;
  at_start_ = true;
  clear_pending_ = false;
}

SseReader::Status SseReader::fail(std::string_view what) {
  error_ = "SSE ";
  error_ += what;
  error_ += " longer than " + std::to_string(max_event_bytes_) + " bytes";
  return Status::kError;
}

SseReader::Status SseReader::next(std::string_view& input, SseEvent& event) {
  if (!error_.empty()) return Status::kError;
  if (clear_pending_) {
    data_.clear();
    type_.clear();
    clear_pending_ = false;
  }
  while (!input.empty()) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (input.front() == '\n') {
        input.remove_prefix(1);
        continue;
      }
    }
    size_t end = input.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      if (line_.size() + input.size() > max_event_bytes_) return fail("line");
      line_.append(input);
      input = {};
      return Status::kNeedMore;
    }
    std::string_view line = input.substr(0, end);
    if (input[end] == '\r') {
      if (end + 1 == input.size()) {
        skip_lf_ = true;  // the LF of a CRLF may be in the next input
      } else if (input[end + 1] == '\n') {
        ++end;
      }
    }
    input.remove_prefix(end + 1);
    // Checked whether or not the line was split, so the verdict never depends on the read boundaries.
    if (line_.size() + line.size() > max_event_bytes_) return fail("line");
    bool dispatched = false;
    if (line_.empty()) {
      dispatched = on_line(line, event);
    } else {
      line_.append(line);
      dispatched = on_line(line_, event);
      line_.clear();
    }
    if (!error_.empty()) return Status::kError;
    if (dispatched) return Status::kEvent;
  }
  return Status::kNeedMore;
}

// One complete line, without its line end. True when it dispatched an event into `event`.
bool SseReader::on_line(std::string_view line, SseEvent& event) {
  if (at_start_) {
    at_start_ = false;
    if (line.starts_with(kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
  }
  if (line.empty()) return dispatch(event);
  if (line.front() == ':') return false;  // a comment (servers send them as keep-alives)
  size_t colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  on_field(name, value);
  return false;
}

void SseReader::on_field(std::string_view name, std::string_view value) {
  if (name == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      fail("event data");
      return;
    }
    data_.append(value);
    data_ += '\n';
  } else if (name == "event") {
    type_.assign(value);
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  } else if (name == "retry") {
    // Longer digit strings would overflow; WHATWG ignores any value that is not all digits.
    if (all_digits(value) && value.size() <= 18)
      std::from_chars(value.data(), value.data() + value.size(), retry_ms_);
  }
}

bool SseReader::dispatch(SseEvent& event) {
  if (!data_.empty()) data_.pop_back();  // the '\n' after the last data line
  if (data_.empty()) {
    type_.clear();
    return false;
  }
  event.type = type_.empty() ? std::string_view("message") : std::string_view(type_);
  event.data = data_;
  event.id = last_id_;
  clear_pending_ = true;
  return true;
}

}  // namespace surge::proto::jsonrpc
