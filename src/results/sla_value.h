// How an SLA's value reads in text, in the unit the SLA wrote: the summary's SLA table (report/) and the stop
// reason of an abort_on_fail SLA (sla/) say the same figure the same way.
#pragma once

#include <string>
#include <string_view>

namespace surge::results {

// "312.5ms", "0.12%", "1500/s", "42": the value, then the unit as the SLA wrote it.
std::string format_sla_value(double value, std::string_view unit);

}  // namespace surge::results
