// Upper bounds on the load a plan may ask for, shared by the phase reader, rate parsing and --max-users.
// They exist so arithmetic downstream cannot overflow, not to judge what a machine can do.
#pragma once

#include <cstdint>

namespace surge::plan {

// Far above one machine's reach (STYLE.md budgets 100k connections on two cores), low enough that
// user-count arithmetic downstream cannot overflow. Applies to users, max_users and connections.
inline constexpr int64_t kMaxUsers = 10'000'000;

// Far beyond what one machine sends, low enough that a scheduler's nanoseconds-per-event stays >= 1.
inline constexpr double kMaxRatePerS = 1e9;

}  // namespace surge::plan
