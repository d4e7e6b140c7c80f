// Scope: name → slot binding for captured variables and feeder columns, filled at plan load. Linear search is
// fine here: lookups happen only while templates compile, never per request.
#include "templating/scope.h"

#include <algorithm>

namespace surge::templating {

uint32_t Scope::define(std::string name) {
  if (auto slot = find(name)) return *slot;
  names_.push_back(std::move(name));
  return static_cast<uint32_t>(names_.size() - 1);
}

std::optional<uint32_t> Scope::find(std::string_view name) const {
  auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) return std::nullopt;
  return static_cast<uint32_t>(it - names_.begin());
}

bool is_builtin_name(std::string_view name) {
  return name == "vu.id" || name == "iteration" || name == "uuid" || name == "now_ms" || name == "now_s" ||
         name == "now_iso" ||
         name.starts_with("random.") || name.starts_with("env.") ||
         name.starts_with("rpc.");
}

}  // namespace surge::templating
