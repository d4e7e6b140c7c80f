// Templates: text with {{ expression }} holes, compiled once at plan load into literal pieces and value
// pieces, then rendered per request by appending into a reused buffer, with no parsing and no allocation.
// Syntax and every expression: docs/templates.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "templating/escape.h"
#include "templating/rng.h"
#include "templating/scope.h"

namespace surge::templating {

struct TemplateError {
  size_t offset = 0;    // byte offset in the template text of the "{{" that opens the bad expression
  std::string message;  // one line, without the offset
};

// What one render needs from the virtual user; the caller owns everything and keeps it alive for the call.
struct RenderContext {
  uint64_t vu_id = 0;
  uint64_t iteration = 0;
  std::span<const std::string> variables;  // indexed by Scope slot; a slot past the end renders empty
  Rng* rng = nullptr;                      // required when the template has random.* or uuid pieces
  int64_t now_unix_ms = 0;                 // the caller's clock, read once per batch; now_s and now_iso
                                           // derive from it, so they agree everywhere in one render
  int64_t rpc_id = 0;                      // the first JSON-RPC id of the message being rendered (rpc.id)
};

class Template {
 public:
  Template() = default;  // renders nothing

  // True when the template has no per-request piece (only text, string literals and env values), so the
  // caller can build the bytes once and skip render().
  bool is_static() const { return pieces_.empty(); }
  // The whole output of a static template; empty for a dynamic one.
  std::string_view static_text() const { return is_static() ? std::string_view(text_) : std::string_view(); }
  // Bytes render() appends, not counting variable values (which escaping may grow up to 6 times): a value to
  // reserve() once per buffer at start.
  size_t size_hint() const { return size_hint_; }
  Escape escape() const { return escape_; }

 private:
  enum class Kind : uint8_t {
    kText,
    kVuId,
    kIteration,
    kRandomInt,
    kRandomWord,
    kRandomString,
    kUuid,
    kNowMs,
    kRpcId,
    kVariable,
    kNowS,
    kNowIso,
    // Functions (docs/templates.md, "Signing and encoding"): their arguments are pieces of arguments_.
    kSha256,
    kSha256B64,
    kHmacSha256,
    kHmacSha256B64,
    kBase64,
    kBase64Url,
    kUrlEncode,
    kJwtHs256,
    kConcat,
  };
  struct Piece {
    Kind kind = Kind::kText;
    uint32_t begin = 0;   // kText: offset in text_ (argument_text_ for an argument); kVariable: the slot;
                          // kRandomString: the length; a function: its first argument in arguments_
    uint32_t length = 0;  // kText: bytes; a function: its argument count
    int64_t low = 0;      // kRandomInt: inclusive bounds; kRpcId: the offset added to the id
    int64_t high = 0;
  };

  friend class TemplateCompiler;
  friend class TemplateEvaluator;

  std::string text_;           // every literal byte, pieces of kind kText point into it
  std::vector<Piece> pieces_;  // empty for a static template (text_ is then the whole output)
  std::vector<Piece> arguments_;  // the functions' arguments, each function's contiguous, nested ones first
  std::string argument_text_;     // the literal bytes of arguments (raw: escaping applies to a result only)
  size_t size_hint_ = 0;
  Escape escape_ = Escape::kNone;
};

// Compiles text. env.NAME is read now (getenv), so the template keeps the value, not the name. Bare names are
// looked up in scope and kept as slots. Errors (with the offset of the bad expression's "{{"): an unclosed
// "{{", an empty or malformed expression, an unknown name or function, bad arguments, an unset environment
// variable. Startup only: allocates.
core::Result<Template, TemplateError> compile_template(std::string_view text, const Scope& scope,
                                                       Escape escape = Escape::kNone);

// Appends the rendered template to out. Allocates only if out has to grow; never fails.
void render(const Template& compiled, const RenderContext& context, std::string& out);

// The built-in word list random.word draws from (at least 256 common lowercase English words).
std::span<const std::string_view> builtin_words();

}  // namespace surge::templating
