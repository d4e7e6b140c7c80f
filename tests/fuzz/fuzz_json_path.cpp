// libFuzzer target for the JSON path compiler and the JSON scanner (tests/fuzz/CMakeLists.txt).
// Input: a JSON path on the first line, the document after it. Oracle: the sanitizers, and a found value
// that lies inside the document and that every JSON reader of extract/ accepts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/json_path.h"
#include "extract/json_value.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view path_text = input.substr(0, newline);
  std::string_view json = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto path = surge::extract::compile_json_path(path_text);
  if (!path) return 0;
  std::optional<std::string_view> found = surge::extract::find(*path, json);
  if (!found) return 0;
  // A found value lies inside the input and is one valid value, so every reader must accept it.
  if (found->data() < json.data() || found->data() + found->size() > json.data() + json.size())
    __builtin_trap();
  std::string text;
  if (!surge::extract::json_to_text(*found, text)) __builtin_trap();
  if (!surge::extract::json_equal(*found, *found)) __builtin_trap();
  surge::extract::json_number(*found);
  return 0;
}
