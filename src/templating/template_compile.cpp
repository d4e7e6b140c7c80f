// compile_template: splits the text at {{ }} holes and parses each expression into a literal (string
// literals, env values, functions of constants) or a value piece (vu.id, random.int, a variable slot, a
// function whose arguments are pieces themselves). All names and argument counts are checked here, so a typo
// is a plan error at load time, never an empty value at run time.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "templating/digest.h"
#include "templating/template_evaluator.h"

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
  using Piece = Template::Piece;
  using Status = core::Result<void, TemplateError>;

  struct FunctionSpec {
    std::string_view name;
    Template::Kind kind;
    uint32_t min_arguments;
    uint32_t max_arguments;
    std::string_view expects;  // "one argument: sha256(x)", for the arity error
  };

  static constexpr FunctionSpec kFunctions[] = {
      {"sha256", Template::Kind::kSha256, 1, 1, "one argument: sha256(x)"},
      {"sha256_b64", Template::Kind::kSha256B64, 1, 1, "one argument: sha256_b64(x)"},
      {"hmac_sha256", Template::Kind::kHmacSha256, 2, 2, "two arguments: hmac_sha256(key, x)"},
      {"hmac_sha256_b64", Template::Kind::kHmacSha256B64, 2, 2, "two arguments: hmac_sha256_b64(key, x)"},
      {"base64", Template::Kind::kBase64, 1, 1, "one argument: base64(x)"},
      {"base64url", Template::Kind::kBase64Url, 1, 1, "one argument: base64url(x)"},
      {"urlencode", Template::Kind::kUrlEncode, 1, 1, "one argument: urlencode(x)"},
      {"jwt_hs256", Template::Kind::kJwtHs256, 2, 2, "two arguments: jwt_hs256(claims_json, key)"},
      {"concat", Template::Kind::kConcat, 1, kMaxFunctionArguments, "1 to 32 arguments: concat(a, b, ...)"},
  };

  static const FunctionSpec* find_function(std::string_view name) {
    for (const FunctionSpec& spec : kFunctions) {
      if (spec.name == name) return &spec;
    }
    return nullptr;
  }


  // One parsed expression. A kText value points into argument_text_; is_value says whether it is a value
  // (env, a folded function) that the template's escaping applies to, or the author's own literal.
  struct Parsed {
    Piece piece;
    size_t size_hint = 0;
    bool is_value = false;
  };
  using ParseResult = core::Result<Parsed, TemplateError>;

  core::Unexpected<TemplateError> fail(std::string message) const {
    return {TemplateError{open_, std::move(message)}};
  }

  // The "}}" that closes the hole opened before `from`, stepping over quoted string literals so that
  // {{ '}}' }} and {{ concat('{"a":', x, '}}') }} work. An unclosed quote stops the stepping (the
  // expression's parser then reports it).
  size_t find_close(size_t from) const {
    size_t pos = from;
    while (pos + 1 < text_.size()) {
      const char c = text_[pos];
      if (c == '}' && text_[pos + 1] == '}') return pos;
      if (c == '\'' || c == '"') {
        const size_t quote_end = text_.find(c, pos + 1);
        if (quote_end == std::string_view::npos) return text_.find("}}", pos);
        pos = quote_end + 1;
        continue;
      }
      ++pos;
    }
    return std::string_view::npos;
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

  Status add_expression(std::string_view expr) {
    if (expr.empty()) return fail("empty expression: expected a name between '{{' and '}}'");
    expr_ = expr;
    pos_ = 0;
    auto parsed = parse_expression();
    if (!parsed) return core::Unexpected<TemplateError>{parsed.error()};
    skip_spaces();
    if (pos_ != expr_.size()) {
      const std::string rest(trim(expr_.substr(pos_)));
      if (expr_.front() == '\'' || expr_.front() == '"') {
        return fail("unexpected '" + rest + "' after the string literal");
      }
      return fail("unexpected '" + rest + "' after '" + std::string(trim(expr_.substr(0, pos_))) + "'");
    }
    if (parsed->piece.kind == Kind::kText) {
      const std::string_view value = std::string_view(compiled_.argument_text_)
                                         .substr(parsed->piece.begin, parsed->piece.length);
      if (parsed->is_value) {
        add_piece_text([&] { append_escaped(compiled_.text_, value, compiled_.escape_); });
      } else {
        add_text(value);  // the author's own text: never escaped
      }
      compiled_.argument_text_.resize(parsed->piece.begin);  // staged here only to be copied
      return {};
    }
    compiled_.pieces_.push_back(parsed->piece);
    compiled_.size_hint_ += parsed->size_hint;
    return {};
  }

  void skip_spaces() {
    while (pos_ < expr_.size() && is_space(expr_[pos_])) ++pos_;
  }

  Parsed text_value(std::string_view value, bool is_value) {
    const auto begin = static_cast<uint32_t>(compiled_.argument_text_.size());
    compiled_.argument_text_.append(value);
    return {{Kind::kText, begin, static_cast<uint32_t>(value.size()), 0, 0}, value.size(), is_value};
  }

  // A string literal, a name, or a call; pos_ is left after it.
  ParseResult parse_expression() {
    skip_spaces();
    if (pos_ == expr_.size() || expr_[pos_] == ',' || expr_[pos_] == ')') {
      return fail("empty argument in '" + std::string(expr_) + "'");
    }
    const char first = expr_[pos_];
    if (first == '\'' || first == '"') {
      const size_t close = expr_.find(first, pos_ + 1);
      if (close == std::string_view::npos) {
        return fail("unterminated string literal: expected a closing " + std::string(1, first));
      }
      const std::string_view literal = expr_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
      return text_value(literal, false);
    }
    const auto name_begin = expr_.begin() + static_cast<ptrdiff_t>(pos_);
    const size_t name_end = std::find_if_not(name_begin, expr_.end(), is_name_char) - expr_.begin();
    const std::string_view name = expr_.substr(pos_, name_end - pos_);
    if (name.empty()) {
      return fail("unexpected character '" + std::string(1, first) + "' in expression '" +
                  std::string(expr_) + "'");
    }
    pos_ = name_end;
    skip_spaces();
    if (pos_ == expr_.size() || expr_[pos_] != '(') {
      pos_ = name_end;  // spaces after a name belong to whatever follows
      return parse_name(name);
    }
    if (const FunctionSpec* spec = find_function(name)) return parse_function(*spec);
    const size_t close = expr_.find(')', pos_);
    if (close == std::string_view::npos) {
      return fail("unclosed '(' in '" + std::string(expr_) + "': expected ')'");
    }
    const std::string_view inside = expr_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    return parse_call(name, inside);
  }

  // The arguments of a signing or encoding function, each an expression; pos_ is at its '('.
  ParseResult parse_function(const FunctionSpec& spec) {
    ++pos_;
    std::vector<Parsed> arguments;
    skip_spaces();
    if (pos_ < expr_.size() && expr_[pos_] == ')') {
      ++pos_;
    } else {
      for (;;) {
        auto argument = parse_expression();
        if (!argument) return argument;
        arguments.push_back(*argument);
        skip_spaces();
        if (pos_ == expr_.size()) return fail("unclosed '(' in '" + std::string(expr_) + "': expected ')'");
        const char next = expr_[pos_++];
        if (next == ')') break;
        if (next != ',') {
          return fail("unexpected '" + std::string(1, next) + "' in the arguments of " +
                      std::string(spec.name) + ": expected ',' or ')'");
        }
      }
    }
    if (arguments.size() < spec.min_arguments || arguments.size() > spec.max_arguments) {
      return fail(std::string(spec.name) + " expects " + std::string(spec.expects));
    }
    const auto first = static_cast<uint32_t>(compiled_.arguments_.size());
    size_t total_hint = 0;
    bool constant = true;
    for (const Parsed& argument : arguments) {
      compiled_.arguments_.push_back(argument.piece);
      total_hint += argument.size_hint;
      constant = constant && argument.piece.kind == Kind::kText;
    }
    const Piece function{spec.kind, first, static_cast<uint32_t>(arguments.size()), 0, 0};
    if (constant) {
      // Nothing in it changes per request: compute it once, now.
      std::string value;
      TemplateEvaluator::apply(compiled_, function, RenderContext{}, Escape::kNone, value);
      compiled_.arguments_.resize(first);
      return text_value(value, true);
    }
    return Parsed{function, function_size_hint(spec.kind, total_hint, arguments), false};
  }

  static size_t function_size_hint(Kind kind, size_t total_hint, const std::vector<Parsed>& arguments) {
    switch (kind) {
      case Kind::kSha256:
      case Kind::kHmacSha256:
        return 64;
      case Kind::kSha256B64:
      case Kind::kHmacSha256B64:
        return 44;
      case Kind::kBase64:
        return base64_size(total_hint, Base64::kStandard);
      case Kind::kBase64Url:
        return base64_size(total_hint, Base64::kUrl);
      case Kind::kUrlEncode:
        return 3 * total_hint;
      case Kind::kJwtHs256:
        return 36 + 2 + base64_size(arguments[0].size_hint, Base64::kUrl) + 43;
      default:
        return total_hint;
    }
  }

  ParseResult parse_name(std::string_view name) {
    if (name == "vu.id") return Parsed{{Kind::kVuId}, kMaxDecimal};
    if (name == "iteration") return Parsed{{Kind::kIteration}, kMaxDecimal};
    if (name == "uuid") return Parsed{{Kind::kUuid}, 36};
    if (name == "now_ms") return Parsed{{Kind::kNowMs}, kMaxDecimal};
    if (name == "now_s") return Parsed{{Kind::kNowS}, kMaxDecimal};
    if (name == "now_iso") return Parsed{{Kind::kNowIso}, 20};  // 2026-12-07T23:55:57Z
    if (name == "rpc.id") return Parsed{{Kind::kRpcId}, kMaxDecimal};
    if (name == "random.word") return random_word();
    if (name == "random.int" || name == "random.string") return parse_call(name, std::nullopt);
    if (name.starts_with("random.")) return unknown_function(name);
    if (name.starts_with("env.")) return env_value(name.substr(4));
    if (auto slot = scope_.find(name)) return Parsed{{Kind::kVariable, *slot}, 0};
    if (find_function(name)) {
      return fail("'" + std::string(name) + "' is a function: expected " + std::string(name) + "(...)");
    }
    return unknown_variable(name);
  }

  // name(...) with its argument text; nullopt when the name came without parentheses.
  ParseResult parse_call(std::string_view name, std::optional<std::string_view> inside) {
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
      return Parsed{{Kind::kRandomInt, 0, 0, low, high}, std::max(decimal_width(low), decimal_width(high))};
    }
    if (name == "random.string") {
      if (!arguments || arguments->size() != 1 || (*arguments)[0] < 1 ||
          static_cast<size_t>((*arguments)[0]) > kMaxRandomString) {
        return fail("random.string expects a length from 1 to " + std::to_string(kMaxRandomString) +
                    ": random.string(N)");
      }
      const auto length = static_cast<uint32_t>((*arguments)[0]);
      return Parsed{{Kind::kRandomString, length}, length};
    }
    if (name == "rpc.id" && inside) {
      // rpc.id(K): the K-th id of a batch, so one message can name several fresh ids.
      if (!arguments || arguments->size() != 1 || (*arguments)[0] < 0 || (*arguments)[0] > kMaxRpcIdOffset) {
        return fail("rpc.id expects an offset from 0 to " + std::to_string(kMaxRpcIdOffset) + ": rpc.id(K)");
      }
      return Parsed{{Kind::kRpcId, 0, 0, (*arguments)[0], 0}, kMaxDecimal};
    }
    if (name.starts_with("random.") && name != "random.word") return unknown_function(name);
    if (name.starts_with("env.") || is_builtin_name(name) || scope_.find(name)) {
      return fail("'" + std::string(name) + "' takes no arguments");
    }
    return fail("unknown function '" + std::string(name) +
                "': expected random.int(A, B), random.string(N), sha256, sha256_b64, hmac_sha256, "
                "hmac_sha256_b64, base64, base64url, urlencode, jwt_hs256 or concat");
  }

  ParseResult random_word() {
    size_t longest = 0;
    for (std::string_view word : builtin_words()) longest = std::max(longest, word.size());
    return Parsed{{Kind::kRandomWord}, longest};
  }

  ParseResult env_value(std::string_view variable) {
    if (variable.empty()) return fail("env. expects a variable name: env.NAME");
    const char* value = std::getenv(std::string(variable).c_str());
    if (value == nullptr) return fail("environment variable '" + std::string(variable) + "' is not set");
    return text_value(value, true);
  }

  ParseResult unknown_function(std::string_view name) const {
    return fail("unknown function '" + std::string(name) +
                "': expected random.int(A, B), random.word or random.string(N)");
  }

  ParseResult unknown_variable(std::string_view name) const {
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
  size_t open_ = 0;         // offset of the "{{" being compiled, for errors
  std::string_view expr_;   // the expression being parsed (trimmed) and the parser's place in it
  size_t pos_ = 0;
};

core::Result<Template, TemplateError> compile_template(std::string_view text, const Scope& scope,
                                                       Escape escape) {
  return TemplateCompiler(text, scope, escape).run();
}

}  // namespace surge::templating
