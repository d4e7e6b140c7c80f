// The MCP sessions of one `surge serve` worker: a fixed ring of slots allocated at start, where a session id
// names its own slot, so opening, finding and closing are O(1) with no hashing and no allocation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace surge::serve {

class McpSessions {
 public:
  // A session lives until DELETE or until kCapacity more have been opened on its worker, when its slot is
  // reused (a load test that never sends DELETE must not grow the server without bound). The evicted
  // client gets 404 and, per the spec, initializes again.
  static constexpr uint32_t kCapacity = 4096;
  // Bytes of an id: 16 hex digits of a random tag, then 8 of the slot index.
  static constexpr size_t kIdBytes = 24;

  // seed picks the tags (the worker mixes in getrandom and its index, so workers never share ids).
  // max_requests > 0: a session ends after answering that many requests (--mcp-session-requests), so a
  // test can make a server forget sessions at a known point; 0: no limit.
  explicit McpSessions(uint64_t seed, uint32_t max_requests = 0);

  // Opens a session and appends its id to `out`. Returns true when it evicted a session still open.
  bool open(std::string& out);
  bool is_open(std::string_view id) const;
  // Ends the session; false when it was not open.
  bool close(std::string_view id);
  // Counts one request of an open session; true when that used up its budget and ended it (it is answered,
  // the next one gets 404).
  bool count_request(std::string_view id);
  uint32_t open_count() const { return open_count_; }

 private:
  struct Slot {
    uint64_t tag = 0;  // 0: free
    uint32_t requests = 0;  // answered since initialize
  };

  // The slot an id names when its tag matches, or nullptr.
  Slot* find(std::string_view id) const;
  uint64_t next_tag();

  std::unique_ptr<Slot[]> slots_;
  uint64_t rng_state_;
  uint32_t max_requests_;
  uint32_t next_slot_ = 0;  // the ring's write position: the oldest session when all slots are full
  uint32_t open_count_ = 0;
};

}  // namespace surge::serve
