// One client connection of `surge serve --misbehave MODE`: reads each request head and answers it the
// hostile way misbehave.h describes (or, for the early and never-read modes, ignores the request). Fillers are
// generated as they are written, so a 1 GiB body or a 1 MiB head holds no memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event_loop.h"
#include "core/result.h"
#include "serve/misbehave.h"

namespace surge::serve {

class HostileWorker;

class HostileConnection final : public core::EventHandler, public core::Timer {
 public:
  // Takes ownership of fd. seed varies kGarbage's bytes per connection.
  HostileConnection(HostileWorker& worker, int fd, Misbehaviour mode, uint64_t seed)
      : worker_(worker), fd_(fd), mode_(mode), seed_(seed) {}
  ~HostileConnection() override;  // closes the socket if close() has not

  // Starts watching the socket; the early-response mode writes its answer at once.
  core::Result<void> start();
  void on_event(uint32_t events) override;
  void on_timer() override;  // the next drip byte is due
  // Closes the socket now and hands the connection back to the worker (destroyed after the batch).
  void close();

  // The worker's list of open connections.
  HostileConnection* prev = nullptr;
  HostileConnection* next = nullptr;

 private:
  enum class Phase : uint8_t {
    kHead,        // reading a request head
    kWriting,     // writing answer_
    kAwaitFrame,  // WebSocket modes: upgraded, waiting for the client's first frame
    kDraining,    // nothing more to write: input is read and dropped until the peer closes
    kSilent,      // never-read and early-response: no reads at all; the peer's close ends it
  };

  void read_input();
  void on_head(std::string_view head);
  void answer_upgrade(std::string_view head);
  void send_broken_frame();
  void begin_answer(HostileAnswer answer);
  void write_answer();
  bool write_bytes(std::string_view bytes);
  void finish_answer();
  void set_interest(uint32_t events);

  HostileWorker& worker_;
  int fd_;
  Misbehaviour mode_;
  uint64_t seed_;
  std::string input_;  // unparsed request bytes: at most one head (kMaxRequestHeadBytes)
  HostileAnswer answer_;
  uint64_t sent_ = 0;  // bytes of answer_ written
  uint32_t interest_ = 0;
  Phase phase_ = Phase::kHead;
  bool drip_due_ = false;  // the timer fired: one filler byte may go
  bool closed_ = false;
};

}  // namespace surge::serve
