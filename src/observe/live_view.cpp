// Gauges come from completed seconds (summed over workers), so /metrics and the progress line agree.
#include "observe/live_view.h"

namespace surge::observe {

void update_from_second(LiveView& view, const results::SecondRow& row) {
  for (size_t phase = 0; phase < view.shape.phases.size(); ++phase) {
    if (view.shape.phases[phase].name == row.phase) view.current_phase = phase;
  }
  view.active_users = row.active_users;
  view.open_connections = row.open_connections;
  if (row.target) view.target = row.target;
}

}  // namespace surge::observe
