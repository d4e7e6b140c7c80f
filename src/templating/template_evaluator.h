// The per-request half of templates, shared by render() and by the compiler, which folds a function whose
// arguments are all constant (sha256('x'), hmac_sha256(env.KEY, 'x')) into text once, at plan load.
#pragma once

#include <string>
#include <string_view>

#include "templating/template.h"

namespace surge::templating {

// concat's limit, and the size of apply()'s stack array of argument bounds.
constexpr uint32_t kMaxFunctionArguments = 32;

class TemplateEvaluator {
 public:
  using Piece = Template::Piece;

  // render()'s body: top-level pieces, substituted values escaped as the template says.
  static void render(const Template& compiled, const RenderContext& context, std::string& out);

  // Appends the value of a function piece, escaped as `escape` says. Its arguments are evaluated unescaped
  // into a per-thread scratch buffer, used as a stack by nested calls, which grows during warm-up and is then
  // reused. Needs no context when every argument is constant.
  static void apply(const Template& compiled, const Piece& function, const RenderContext& context,
                    Escape escape, std::string& out);

  static bool is_function(Template::Kind kind) { return kind >= Template::Kind::kSha256; }

 private:
  // Appends one piece's value; kText reads `text` (text_ at the top, argument_text_ for an argument).
  static void append_value(const Template& compiled, const Piece& piece, std::string_view text,
                           const RenderContext& context, Escape escape, std::string& out);
};

}  // namespace surge::templating
