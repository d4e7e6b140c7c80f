// The names templates may use besides the built-ins: captured variables and feeder columns
// ("<feeder>.<column>"), each bound to a slot index once, at plan load, so rendering never looks a name up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace surge::templating {

class Scope {
 public:
  // Binds name to the next free slot and returns it; a name already defined keeps its slot (two steps that
  // capture into the same variable share it). Slots count up from 0 in definition order.
  uint32_t define(std::string name);

  std::optional<uint32_t> find(std::string_view name) const;

  // Every defined name, in slot order (names()[slot] is the slot's name).
  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
};

// True for the names a template resolves itself (vu.id, iteration, uuid, now_ms, now_s, now_iso, and anything
// under random.,
// env. or rpc.), which a Scope name would never be reached by: the plan should refuse such capture or feeder
// names.
bool is_builtin_name(std::string_view name);

}  // namespace surge::templating
