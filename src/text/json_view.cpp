#include "text/json_view.h"

#include <charconv>

namespace surge::text::json {
namespace {

// The type of a valid value from its first byte.
JsonType type_at(std::string_view raw) {
  switch (raw[0]) {
    case '{':
      return JsonType::kObject;
    case '[':
      return JsonType::kArray;
    case '"':
      return JsonType::kString;
    case 't':
      return JsonType::kTrue;
    case 'f':
      return JsonType::kFalse;
    case 'n':
      return JsonType::kNull;
    default:
      return JsonType::kNumber;
  }
}

}  // namespace

core::Result<JsonValue> scan_value(std::string_view text, size_t& pos, int levels) {
  size_t start = skip_space(text, pos);
  Failure failure;
  size_t end = skip_value(text, start, levels, &failure);
  if (end == kBad) return core::fail(describe(failure, text, levels));
  pos = end;
  std::string_view raw = text.substr(start, end - start);
  return JsonValue{type_at(raw), raw};
}

core::Result<JsonValue> scan_document(std::string_view text, int levels) {
  size_t pos = 0;
  auto value = scan_value(text, pos, levels);
  if (!value) return value;
  pos = skip_space(text, pos);
  if (pos != text.size()) return core::fail(describe(Failure{pos, Problem::kExpectedEnd}, text, levels));
  return value;
}

// A value from scan_* is valid at its own depth, so the walks need no bound of their own.
MemberIterator::MemberIterator(const JsonValue& object)
    : walker_(object.raw, 0, kLevelsCeiling), is_object_(object.is_object()) {}

bool MemberIterator::next(std::string_view& key, JsonValue& value) {
  if (!is_object_ || !walker_.next()) return false;
  std::string_view raw = walker_.value();
  if (raw.empty()) return false;
  key = walker_.key();
  value = JsonValue{type_at(raw), raw};
  return true;
}

ElementIterator::ElementIterator(const JsonValue& array)
    : walker_(array.raw, 0, kLevelsCeiling), is_array_(array.is_array()) {}

bool ElementIterator::next(JsonValue& value) {
  if (!is_array_ || !walker_.next()) return false;
  std::string_view raw = walker_.value();
  if (raw.empty()) return false;
  value = JsonValue{type_at(raw), raw};
  return true;
}

bool find_member(const JsonValue& object, std::string_view key, JsonValue& value) {
  MemberIterator members(object);
  std::string_view name;
  while (members.next(name, value)) {
    if (name == key) return true;
  }
  return false;
}

bool to_int64(const JsonValue& value, int64_t& out) {
  if (value.type != JsonType::kNumber) return false;
  const char* end = value.raw.data() + value.raw.size();
  auto [stop, ec] = std::from_chars(value.raw.data(), end, out);
  return ec == std::errc() && stop == end;
}

}  // namespace surge::text::json
