// Session ids are "<tag><slot>" in lower-case hex. The tag comes from splitmix64 over a random seed: ids are
// unguessable enough for a test target, not cryptographic (the spec asks real servers for that).
#include "serve/mcp_sessions.h"

#include "text/hex.h"

namespace surge::serve {
namespace {

// Ids are case-sensitive, as the server wrote them (lower case): upper-case digits name no session.
bool parse_id_hex(std::string_view text, uint64_t& value) {
  for (char c : text) {
    if (c >= 'A' && c <= 'F') return false;
  }
  return text::parse_hex(text, value);
}

}  // namespace

McpSessions::McpSessions(uint64_t seed, uint32_t max_requests)
    : slots_(new Slot[kCapacity]), rng_state_(seed), max_requests_(max_requests) {}

// splitmix64 (Steele, Lea, Flood 2014): every seed gives a full-period sequence of well-mixed outputs.
uint64_t McpSessions::next_tag() {
  uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return z == 0 ? 1 : z;  // 0 marks a free slot
}

bool McpSessions::open(std::string& out) {
  uint32_t index = next_slot_;
  next_slot_ = (next_slot_ + 1) % kCapacity;
  Slot& slot = slots_[index];
  bool evicted = slot.tag != 0;
  if (!evicted) ++open_count_;
  slot.tag = next_tag();
  slot.requests = 0;
  text::append_hex(out, slot.tag, 16);
  text::append_hex(out, index, 8);
  return evicted;
}

McpSessions::Slot* McpSessions::find(std::string_view id) const {
  uint64_t tag = 0, index = 0;
  if (id.size() != kIdBytes || !parse_id_hex(id.substr(0, 16), tag) || !parse_id_hex(id.substr(16), index)) {
    return nullptr;
  }
  if (index >= kCapacity || tag == 0 || slots_[index].tag != tag) return nullptr;
  return &slots_[index];
}

bool McpSessions::is_open(std::string_view id) const { return find(id) != nullptr; }

bool McpSessions::count_request(std::string_view id) {
  Slot* slot = find(id);
  if (slot == nullptr || max_requests_ == 0 || ++slot->requests < max_requests_) return false;
  slot->tag = 0;
  --open_count_;
  return true;
}

bool McpSessions::close(std::string_view id) {
  Slot* slot = find(id);
  if (slot == nullptr) return false;
  slot->tag = 0;
  --open_count_;
  return true;
}

}  // namespace surge::serve
