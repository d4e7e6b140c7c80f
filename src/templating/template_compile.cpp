// compile_template: splits the text at {{ }} holes and turns each expression into a literal (string literals,
// env values) or a value piece (vu.id, random.int, a variable slot, ...). All names are resolved here, so a
// typo is a plan error at load time, never an empty value at run time.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "templating/template.h"

namespace surge::templating {
namespace {

constexpr size_t kMaxRandomString = 65536;  // a request body, not a file: larger is surely a typo
constexpr int64_t kMaxRpcIdOffset = 1000;   // a batch is a handful of calls; more is a typo
constexpr size_t kMaxDecimal = 20;          // digits of a uint64, or of an int64 with its sign

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

size_t decimal_width(int64_t v) {
  char digits[kMaxDecimal + 1];
  return static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, v).ptr - digits);
}

// "(1, 20)" → {1, 20}; nullopt unless every comma-separated argument is a whole integer.
std::optional<std::vector<int64_t>> parse_integer_arguments(std::string_view inside) {
  std::vector<int64_t> values;
  if (trim(inside).empty()) return values;
  for (;;) {
    const size_t comma = inside.find(',');
    std::string_view argument = trim(inside.substr(0, comma));
    int64_t value = 0;
    auto [end, ec] = std::from_chars(argument.data(), argument.data() + argument.size(), value);
    if (argument.empty() || ec != std::errc() || end != argument.data() + argument.size())
      return std::nullopt;
    values.push_back(value);
    if (comma == std::string_view::npos) return values;
    inside.remove_prefix(comma + 1);
  }
}

}  // namespace

class TemplateCompiler {
 public:
  TemplateCompiler(std::string_view text, const Scope& scope, Escape escape) : text_(text), scope_(scope) {
    compiled_.escape_ = escape;
  }

  core::Result<Template, TemplateError> run() {
    size_t pos = 0;
    for (;;) {
      const size_t open = text_.find("{{", pos);
      if (open == std::string_view::npos) break;
      add_text(text_.substr(pos, open - pos));
      open_ = open;
      const size_t close = find_close(open + 2);
      if (close == std::string_view::npos) return fail("unterminated '{{': expected '}}' to close it");
      if (auto added = add_expression(trim(text_.substr(open + 2, close - open - 2))); !added) {
        return core::Unexpected<TemplateError>{added.error()};
      }
      pos = close + 2;
    }
    add_text(text_.substr(pos));
    const bool dynamic =
        std::any_of(compiled_.pieces_.begin(), compiled_.pieces_.end(),
                    [](const Template::Piece& p) { return p.kind != Template::Kind::kText; });
    if (!dynamic) compiled_.pieces_.clear();
    return std::move(compiled_);
  }

 private:
  using Kind = Template::Kind;
  using Status = core::Result<void, TemplateError>;

  core::Unexpected<TemplateError> fail(std::string message) const {
    return {TemplateError{open_, std::move(message)}};
  }

  // The "}}" that closes the hole opened before `from`, stepping over a quoted string literal so that
  // {{ '}}' }} works.
  size_t find_close(size_t from) const {
    size_t pos = from;
    while (pos < text_.size() && is_space(text_[pos])) ++pos;
    if (pos < text_.size() && (text_[pos] == '\'' || text_[pos] == '"')) {
      const size_t quote_end = text_.find(text_[pos], pos + 1);
      if (quote_end != std::string_view::npos) pos = quote_end + 1;
    }
    return text_.find("}}", pos);
  }

  void add_text(std::string_view text) {
    if (text.empty()) return;
    add_piece_text([&] { compiled_.text_.append(text); });
  }

  // Appends to the literal buffer through `append` and extends the last text piece when it ends there.
  template <class Append>
  void add_piece_text(Append append) {
    const size_t begin = compiled_.text_.size();
    append();
    const auto length = static_cast<uint32_t>(compiled_.text_.size() - begin);
    compiled_.size_hint_ += length;
    auto& pieces = compiled_.pieces_;
    if (!pieces.empty() && pieces.back().kind == Kind::kText &&
        pieces.back().begin + pieces.back().length == begin) {
      pieces.back().length += length;
    } else {
      pieces.push_back({Kind::kText, static_cast<uint32_t>(begin), length, 0, 0});
    }
  }

  Status add_piece(Template::Piece piece, size_t size_hint) {
    compiled_.pieces_.push_back(piece);
    compiled_.size_hint_ += size_hint;
    return {};
  }

  Status add_expression(std::string_view expr) {
    if (expr.empty()) return fail("empty expression: expected a name between '{{' and '}}'");
    if (expr.front() == '\'' || expr.front() == '"') return add_string_literal(expr);
    const size_t name_end = std::find_if_not(expr.begin(), expr.end(), is_name_char) - expr.begin();
    const std::string_view name = expr.substr(0, name_end);
    if (name.empty()) {
      return fail("unexpected character '" + std::string(1, expr.front()) + "' in expression '" +
                  std::string(expr) + "'");
    }
    std::string_view rest = trim(expr.substr(name_end));
    if (rest.empty()) return add_name(name);
    if (rest.front() != '(') {
      return fail("unexpected '" + std::string(rest) + "' after '" + std::string(name) + "'");
    }
    const size_t close = rest.find(')');
    if (close == std::string_view::npos) {
      return fail("unclosed '(' in '" + std::string(expr) + "': expected ')'");
    }
    if (close + 1 != rest.size()) {
      return fail("unexpected '" + std::string(trim(rest.substr(close + 1))) + "' after '" +
                  std::string(expr.substr(0, expr.size() - rest.size() + close + 1)) + "'");
    }
    return add_call(name, rest.substr(1, close - 1));
  }

  Status add_string_literal(std::string_view expr) {
    const size_t close = expr.find(expr.front(), 1);
    if (close == std::string_view::npos) {
      return fail("unterminated string literal: expected a closing " + std::string(1, expr.front()));
    }
    if (close + 1 != expr.size()) {
      return fail("unexpected '" + std::string(trim(expr.substr(close + 1))) + "' after the string literal");
    }
    add_text(expr.substr(1, close - 1));  // the author's own text: never escaped
    return {};
  }

  Status add_name(std::string_view name) {
    if (name == "vu.id") return add_piece({Kind::kVuId}, kMaxDecimal);
    if (name == "iteration") return add_piece({Kind::kIteration}, kMaxDecimal);
    if (name == "uuid") return add_piece({Kind::kUuid}, 36);
    if (name == "now_ms") return add_piece({Kind::kNowMs}, kMaxDecimal);
    if (name == "rpc.id") return add_piece({Kind::kRpcId}, kMaxDecimal);
    if (name == "random.word") return add_random_word();
    if (name == "random.int" || name == "random.string") return add_call(name, std::nullopt);
    if (name.starts_with("random.")) return unknown_function(name);
    if (name.starts_with("env.")) return add_env(name.substr(4));
    if (auto slot = scope_.find(name)) return add_piece({Kind::kVariable, *slot}, 0);
    return unknown_variable(name);
  }

  // name(...) with its argument text; nullopt when the name came without parentheses.
  Status add_call(std::string_view name, std::optional<std::string_view> inside) {
    auto arguments = inside ? parse_integer_arguments(*inside) : std::nullopt;
    if (name == "random.int") {
      if (!arguments || arguments->size() != 2)
        return fail("random.int expects two integers: random.int(A, B)");
      const int64_t low = (*arguments)[0];
      const int64_t high = (*arguments)[1];
      if (low > high) {
        return fail("random.int(" + std::to_string(low) + ", " + std::to_string(high) +
                    "): expected the first bound to be at most the second");
      }
      return add_piece({Kind::kRandomInt, 0, 0, low, high},
                       std::max(decimal_width(low), decimal_width(high)));
    }
    if (name == "random.string") {
      if (!arguments || arguments->size() != 1 || (*arguments)[0] < 1 ||
          static_cast<size_t>((*arguments)[0]) > kMaxRandomString) {
        return fail("random.string expects a length from 1 to " + std::to_string(kMaxRandomString) +
                    ": random.string(N)");
      }
      const auto length = static_cast<uint32_t>((*arguments)[0]);
      return add_piece({Kind::kRandomString, length}, length);
    }
    if (name == "rpc.id" && inside) {
      // rpc.id(K): the K-th id of a batch, so one message can name several fresh ids.
      if (!arguments || arguments->size() != 1 || (*arguments)[0] < 0 || (*arguments)[0] > kMaxRpcIdOffset) {
        return fail("rpc.id expects an offset from 0 to " + std::to_string(kMaxRpcIdOffset) + ": rpc.id(K)");
      }
      return add_piece({Kind::kRpcId, 0, 0, (*arguments)[0], 0}, kMaxDecimal);
    }
    if (name.starts_with("random.") && name != "random.word") return unknown_function(name);
    if (name.starts_with("env.") || is_builtin_name(name) || scope_.find(name)) {
      return fail("'" + std::string(name) + "' takes no arguments");
    }
    return fail("unknown function '" + std::string(name) +
                "': expected random.int(A, B) or random.string(N)");
  }

  Status add_random_word() {
    size_t longest = 0;
    for (std::string_view word : builtin_words()) longest = std::max(longest, word.size());
    return add_piece({Kind::kRandomWord}, longest);
  }

  Status add_env(std::string_view variable) {
    if (variable.empty()) return fail("env. expects a variable name: env.NAME");
    const char* value = std::getenv(std::string(variable).c_str());
    if (value == nullptr) return fail("environment variable '" + std::string(variable) + "' is not set");
    add_piece_text([&] { append_escaped(compiled_.text_, value, compiled_.escape_); });
    return {};
  }

  Status unknown_function(std::string_view name) const {
    return fail("unknown function '" + std::string(name) +
                "': expected random.int(A, B), random.word or random.string(N)");
  }

  Status unknown_variable(std::string_view name) const {
    if (scope_.size() == 0) {
      return fail("unknown variable '" + std::string(name) + "': no captures or feeder columns are defined");
    }
    std::string defined;
    for (const std::string& known : scope_.names()) defined += (defined.empty() ? "" : ", ") + known;
    return fail("unknown variable '" + std::string(name) + "': defined are " + defined);
  }

  std::string_view text_;
  const Scope& scope_;
  Template compiled_;
  size_t open_ = 0;  // offset of the "{{" being compiled, for errors
};

core::Result<Template, TemplateError> compile_template(std::string_view text, const Scope& scope,
                                                       Escape escape) {
  return TemplateCompiler(text, scope, escape).run();
}

}  // namespace surge::templating
