#include "serve/api_json.h"

namespace surge::serve {

namespace json = text::json;

bool read_api_object(std::string_view body, std::string_view key, json::JsonValue* member) {
  if (member != nullptr) *member = json::JsonValue{};
  size_t start = json::skip_space(body, 0);
  if (start >= body.size() || body[start] != '{') return false;
  size_t end = json::skip_value(body, start);
  if (end == json::kBad || json::skip_space(body, end) != body.size()) return false;
  if (member == nullptr) return true;
  json::MemberIterator members(json::JsonValue{json::JsonType::kObject, body.substr(start, end - start)});
  std::string_view name;
  json::JsonValue value;
  while (members.next(name, value)) {
    if (name == key) *member = value;
  }
  return true;
}

}  // namespace surge::serve
