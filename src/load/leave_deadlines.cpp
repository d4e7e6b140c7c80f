// The armed set is a vector with a position per slot, so arm and disarm are O(1) and the engine can hand a
// reprieve to some armed user when the surplus of a ramp shrinks, without a search.
#include "load/leave_deadlines.h"

namespace surge::load {

LeaveDeadlines::LeaveDeadlines(core::EventLoop& loop, Handler& handler, size_t slots)
    : loop_(loop), handler_(handler), timers_(std::make_unique<SlotTimer[]>(slots)), position_(slots, kNone) {
  armed_.reserve(slots);
  for (size_t slot = 0; slot < slots; ++slot) {
    timers_[slot].owner = this;
    timers_[slot].slot = static_cast<uint32_t>(slot);
  }
}

LeaveDeadlines::~LeaveDeadlines() {
  for (uint32_t slot : armed_) loop_.cancel(timers_[slot]);
}

void LeaveDeadlines::arm(uint32_t slot, int64_t deadline_ns) {
  if (is_armed(slot)) return;
  position_[slot] = static_cast<uint32_t>(armed_.size());
  armed_.push_back(slot);
  loop_.schedule(timers_[slot], deadline_ns);
}

void LeaveDeadlines::disarm(uint32_t slot) {
  uint32_t at = position_[slot];
  if (at == kNone) return;
  uint32_t moved = armed_.back();
  armed_[at] = moved;
  position_[moved] = at;
  armed_.pop_back();
  position_[slot] = kNone;
  loop_.cancel(timers_[slot]);
}

uint32_t LeaveDeadlines::disarm_one() {
  uint32_t slot = armed_.back();
  disarm(slot);
  return slot;
}

void LeaveDeadlines::fire(uint32_t slot) {
  disarm(slot);
  handler_.on_deadline_passed(slot);
}

}  // namespace surge::load
