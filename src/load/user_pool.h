// What a load model borrows from the engine that owns the users: an idle user from the pool made at start,
// its return, and the next scenario of the weighted mix. Kept narrow so a model never sees the engine.
#pragma once

#include "scenario/compiled_plan.h"
#include "scenario/virtual_user.h"

namespace surge::load {

class UserPool {
 public:
  // An idle user, now counted as running; nullptr when every user is busy.
  virtual scenario::VirtualUser* take_idle() = 0;
  // Gives an idle user back (it may still hold a keep-alive connection). May end the run when it was the
  // last running user of a run that is ending.
  virtual void release(scenario::VirtualUser& user) = 0;
  virtual const scenario::CompiledScenario& next_scenario() = 0;

 protected:
  ~UserPool() = default;
};

}  // namespace surge::load
