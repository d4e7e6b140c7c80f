// libFuzzer target for text/: the JSON scanner, the escaper and unescaper, the UTF-8 check and the hex
// helpers (tests/fuzz/CMakeLists.txt). Input: any bytes, read as a JSON document, as a string body and as
// plain text. Oracles, besides the sanitizers:
// - the scanner accepts a value exactly at the nesting bound it needs and refuses it one level below, and its
//   verdict at the default bound agrees; a refusal points inside the text (or at its end);
// - the typed views and the walker agree with the skips;
// - unescape(escape(s)) == s, and the escape is a valid JSON string body, for any bytes;
// - the byte-at-a-time decoder and the buffer unescaper decode the same bytes;
// - the whole-text UTF-8 check agrees with stepping through it sequence by sequence, and encode_utf8 writes
//   valid UTF-8 for every scalar value;
// - hex read and written agree.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "text/hex.h"
#include "text/json_scan.h"
#include "text/json_string.h"
#include "text/json_view.h"
#include "text/utf8.h"

namespace {

namespace json = surge::text::json;
namespace text = surge::text;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// The nesting of a valid value: the deepest point of brackets outside strings.
int levels_of(std::string_view value) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (in_string) {
      if (c == '\\') ++i;
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = ++depth > deepest ? depth : deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

void check_scanner(std::string_view input) {
  size_t start = json::skip_space(input, 0);
  json::Failure failure;
  size_t end = json::skip_value(input, start, json::kLevelsCeiling, &failure);
  if (end == json::kBad) {
    check(failure.at <= input.size() && failure.problem != json::Problem::kNone);
    check(json::skip_value(input, start) == json::kBad);  // fewer levels never accept more
    check(!json::scan_document(input));
    return;
  }
  check(end > start && end <= input.size());
  std::string_view value = input.substr(start, end - start);
  int levels = levels_of(value);
  check(json::skip_value(input, start, levels) == end);
  if (levels > 0) check(json::skip_value(input, start, levels - 1) == json::kBad);
  check(json::skip_value(input, start, json::kMaxDepth) == (levels <= json::kMaxDepth ? end : json::kBad));
  bool whole = json::skip_space(input, end) == input.size();
  auto document = json::scan_document(input, json::kLevelsCeiling);
  check(static_cast<bool>(document) == whole);
  if (document) check(document->raw == value);
  if (value[0] == '{' || value[0] == '[') {
    json::ContainerWalker walker(value, 0, levels);
    while (walker.next()) {
      std::string_view item = walker.value();
      check(!item.empty() && item.data() >= value.data() && item.data() + item.size() <= value.data() + end);
    }
    check(!walker.failed() && walker.end() == value.size());
  }
}

void check_strings(std::string_view input) {
  std::string escaped;
  json::append_escaped(escaped, input);
  std::string unescaped;
  json::append_unescaped(unescaped, escaped);
  check(unescaped == input);
  check(json::decodes_to(escaped, input));
  std::string quoted = "\"" + escaped + "\"";
  check(json::skip_string(quoted, 0) == quoted.size());
  // Any bytes as a body: both decoders agree and never read past it.
  std::string whole;
  json::append_unescaped(whole, input);
  std::string bytewise;
  json::StringDecoder decoder(input);
  for (char byte; decoder.next(byte);) bytewise += byte;
  check(whole == bytewise);
  check(json::decode_equal(input, input));
}

void check_utf8(std::string_view input) {
  size_t i = 0;
  while (i < input.size()) {
    size_t length = text::utf8_sequence_length(input, i);
    if (length == 0) break;
    i += length;
  }
  check(text::is_valid_utf8(input) == (i == input.size()));
  if (input.size() >= 3) {
    uint32_t code_point = (static_cast<uint32_t>(static_cast<unsigned char>(input[0])) << 16 |
                           static_cast<uint32_t>(static_cast<unsigned char>(input[1])) << 8 |
                           static_cast<unsigned char>(input[2])) %
                          0x110000;
    if (code_point < 0xD800 || code_point > 0xDFFF) {
      char out[4];
      int length = text::encode_utf8(code_point, out);
      check(text::is_valid_utf8(std::string_view(out, static_cast<size_t>(length))));
      check(text::utf8_sequence_length(std::string_view(out, static_cast<size_t>(length)), 0) ==
            static_cast<size_t>(length));
    }
  }
}

void check_hex(std::string_view input) {
  std::string_view head = input.substr(0, 4);
  uint64_t value = 0;
  bool parsed = head.size() == 4 && text::parse_hex(head, value);
  check(text::read_hex4(input, 0) == (parsed ? static_cast<int32_t>(value) : -1));
  std::string_view digits = input.substr(0, 16);
  if (text::parse_hex(digits, value)) {
    std::string written;
    text::append_hex(written, value, static_cast<int>(digits.size()));
    for (size_t k = 0; k < digits.size(); ++k) {
      check(text::hex_digit_value(written[k]) == text::hex_digit_value(digits[k]));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_scanner(input);
  check_strings(input);
  check_utf8(input);
  check_hex(input);
  return 0;
}
