// libFuzzer target for the plan loader: the input is the text of a plan file. Oracle: the sanitizers, no
// exception out of load_plan_string (yaml-cpp throws; plan/ must catch it all), and every diagnostic with a
// message and a position inside the text (a 1-based line no further than the text has lines).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plan/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  // Loading the plan must not read files next to the fuzzer: a feeder path names a folder that is not there.
  auto plan = surge::plan::load_plan_string(yaml, "/nonexistent-fuzz-dir/plan.yaml");
  if (plan) return 0;
  // YAML breaks lines at LF, CR and CRLF, so counting both bytes bounds the line count from above.
  const auto lines = std::count(yaml.begin(), yaml.end(), '\n') + std::count(yaml.begin(), yaml.end(), '\r') + 1;
  for (const auto& diagnostic : plan.error()) {
    if (diagnostic.message.empty()) std::abort();
    if (diagnostic.where.line < 0 || diagnostic.where.line > lines + 1) std::abort();
  }
  return 0;
}
