// An incremental text/event-stream reader (WHATWG HTML §9.2.6, "Server-sent events"): bytes go in as they
// arrive, in any split; complete events come out. It keeps only the line in progress and the event being
// built, in buffers that keep their capacity, so a reader reused across responses stops allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::proto::jsonrpc {

// One dispatched event; the views are valid until the reader is next fed or reset.
struct SseEvent {
  std::string_view type;  // the last "event:" value, or "message" when there was none
  std::string_view data;  // the "data:" values joined by '\n'; never empty (see SseReader)
  std::string_view id;    // the last event ID of the stream so far (it carries over, as WHATWG says)
};

class SseReader {
 public:
  // A line, or one event's data, longer than this fails the stream: a bound on what a peer can make us hold.
  static constexpr size_t kDefaultMaxEventBytes = 16 * 1024 * 1024;

  enum class Status : uint8_t { kNeedMore, kEvent, kError };

  explicit SseReader(size_t max_event_bytes = kDefaultMaxEventBytes) : max_event_bytes_(max_event_bytes) {}

  // Forgets everything: the next byte starts a new stream (a byte-order mark there is skipped).
  void reset();

  // Consumes bytes from the front of `input` up to the end of the next event and returns kEvent with it in
  // `event`, or consumes all of `input` and returns kNeedMore. Lines end with CRLF, LF or CR; a blank line
  // ends an event; ":..." lines are comments; "field: value" loses one space after the colon; "retry:"
  // takes digits only; unknown fields are ignored. Events whose data is empty are skipped: MCP servers send
  // them to prime reconnection (an id and no message). kError (see error()) when a line or an event's data
  // exceeds the maximum; the reader then stays failed until reset(). A final event with no blank line after
  // it is never dispatched (the stream ended inside it).
  Status next(std::string_view& input, SseEvent& event);

  // Feeds all of `bytes`, calling on_event(const SseEvent&) for each event, in order.
  template <class OnEvent>
  core::Result<void> feed(std::string_view bytes, OnEvent&& on_event) {
    SseEvent event;
    while (true) {
      Status status = next(bytes, event);
      if (status == Status::kNeedMore) return {};
      if (status == Status::kError) return core::fail(std::string(error()));
      on_event(event);
    }
  }

  // The last "retry:" value in ms, or -1 when none came.
  int64_t retry_ms() const { return retry_ms_; }
  std::string_view last_event_id() const { return last_id_; }
  // Why next() returned kError: `SSE line longer than N bytes` or `SSE event data longer than N bytes`.
  std::string_view error() const { return error_; }

 private:
  bool on_line(std::string_view line, SseEvent& event);
  void on_field(std::string_view name, std::string_view value);
  bool dispatch(SseEvent& event);
  Status fail(std::string_view what);

  size_t max_event_bytes_;
  std::string line_;     // the line in progress, when it began in an earlier input
  std::string data_;     // the event's data lines, each followed by '\n'
  std::string type_;     // the event's "event:" value
  std::string last_id_;  // the stream's last event ID
  std::string error_;    // empty unless failed
  int64_t retry_ms_ = -1;
  bool skip_lf_ = false;        // the last line ended with CR: an LF right after belongs to it
  bool at_start_ = true;        // no line read yet: a UTF-8 byte-order mark is dropped
  bool clear_pending_ = false;  // an event was handed out: clear its buffers on the next call
};

}  // namespace surge::proto::jsonrpc
