// graceful_stop deadlines: a user asked to leave (a closed ramp going down, its phase or the run ending) may
// finish its iteration until its deadline and is cut when the deadline passes (k6's gracefulStop). One
// intrusive timer per user slot, made at start, so arming, disarming and firing allocate nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/event_loop.h"

namespace surge::load {

class LeaveDeadlines {
 public:
  class Handler {
   public:
    // The deadline of the user in slot passed; the slot is already disarmed.
    virtual void on_deadline_passed(uint32_t slot) = 0;

   protected:
    ~Handler() = default;
  };

  LeaveDeadlines(core::EventLoop& loop, Handler& handler, size_t slots);
  ~LeaveDeadlines();
  LeaveDeadlines(const LeaveDeadlines&) = delete;
  LeaveDeadlines& operator=(const LeaveDeadlines&) = delete;

  // Gives slot a deadline (monotonic ns); a slot already armed keeps its earlier one.
  void arm(uint32_t slot, int64_t deadline_ns);
  void disarm(uint32_t slot);
  // Disarms one armed slot and returns it: the latest armed while no other was disarmed since. Needs armed()
  // > 0.
  uint32_t disarm_one();
  bool is_armed(uint32_t slot) const { return position_[slot] != kNone; }
  size_t armed() const { return armed_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct SlotTimer final : core::Timer {
    void on_timer() override { owner->fire(slot); }
    LeaveDeadlines* owner = nullptr;
    uint32_t slot = 0;
  };

  void fire(uint32_t slot);

  core::EventLoop& loop_;
  Handler& handler_;
  std::unique_ptr<SlotTimer[]> timers_;
  std::vector<uint32_t> armed_;     // the armed slots (swap-removed, so unordered after a removal)
  std::vector<uint32_t> position_;  // per slot: its index in armed_, or kNone
};

}  // namespace surge::load
