// libFuzzer target for the template compiler and renderer. The first byte picks the escaping; the rest is
// template text over a scope of three variables. Oracle: the sanitizers, errors whose offset lies inside
// the text, a static template rendering its static text, and the same output from two renders with the
// same random seed (render keeps no state between calls).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "templating/template.h"

namespace {

using surge::templating::Escape;

const surge::templating::Scope& scope() {
  static const surge::templating::Scope kScope = [] {
    surge::templating::Scope s;
    s.define("token");
    s.define("users.name");
    s.define("users.id");
    return s;
  }();
  return kScope;
}

std::string render_once(const surge::templating::Template& compiled) {
  // Fewer values than slots: a slot past the end renders empty (template.h).
  static const std::vector<std::string> kValues = {"a\"b\\c\n\x01\xff", "J\xc3\xa9r\xc3\xb4me & co"};
  surge::templating::Rng rng(42);
  surge::templating::RenderContext context{.vu_id = 7, .iteration = 3, .variables = kValues, .rng = &rng,
                                           .now_unix_ms = 1700000000000};
  std::string out;
  surge::templating::render(compiled, context, out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto escape = static_cast<Escape>(data[0] % 3);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto compiled = surge::templating::compile_template(text, scope(), escape);
  if (!compiled) {
    if (compiled.error().offset > text.size() || compiled.error().message.empty()) std::abort();
    return 0;
  }
  const std::string first = render_once(*compiled);
  if (compiled->is_static() && first != compiled->static_text()) std::abort();
  if (render_once(*compiled) != first) std::abort();
  return 0;
}
