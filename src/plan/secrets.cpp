// collect_secrets: which values of a plan are credentials. Literal values are known now; a templated value
// is hidden through the environment variables it names (the only template values known before the run).
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/redaction.h"
#include "plan/plan.h"

namespace surge::plan {
namespace {

void add_unique(std::vector<std::string>& secrets, std::string_view value) {
  if (value.size() < core::Redactor::kMinSecretBytes) return;
  for (const std::string& known : secrets) {
    if (known == value) return;
  }
  secrets.emplace_back(value);
}

// The names of `{{ env.NAME }}` placeholders in a template's text.
std::vector<std::string> env_names(std::string_view text) {
  std::vector<std::string> names;
  for (size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    size_t close = text.find("}}", open);
    if (close == std::string_view::npos) break;
    std::string_view inside = text.substr(open + 2, close - open - 2);
    inside.remove_prefix(std::min(inside.find_first_not_of(' '), inside.size()));
    if (!inside.starts_with("env.")) continue;
    inside.remove_prefix(4);
    names.emplace_back(inside.substr(0, inside.find_first_of(" |}")));
  }
  return names;
}

void add_header(std::vector<std::string>& secrets, const Header& header) {
  if (!header.secret && !core::is_sensitive_header(header.name)) return;
  if (header.value.find("{{") == std::string::npos) {
    add_unique(secrets, header.value);
    // "Bearer abc": the credentials may show up alone too (a target echoing its token back).
    size_t space = header.value.find(' ');
    if (space != std::string::npos) add_unique(secrets, std::string_view(header.value).substr(space + 1));
  }
  for (const std::string& name : env_names(header.value)) {
    if (const char* value = std::getenv(name.c_str())) add_unique(secrets, value);
  }
}

}  // namespace

void collect_secrets(Plan& plan) {
  for (const Header& header : plan.headers) add_header(plan.secrets, header);
  for (const Scenario& scenario : plan.scenarios) {
    for (const Step& step : scenario.steps) {
      if (const auto* http = std::get_if<HttpStep>(&step)) {
        for (const Header& header : http->headers) add_header(plan.secrets, header);
      } else if (const auto* ws = std::get_if<WsStep>(&step)) {
        for (const Header& header : ws->headers) add_header(plan.secrets, header);
      }
    }
  }
}

}  // namespace surge::plan
