// Entry points of the plan loader: read the file, make sure it is text, let yaml-cpp parse it, walk it.
// yaml-cpp throws; this file is the edge where every exception becomes a Diagnostic (STYLE.md, "Errors").
#include "plan/plan.h"

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>

#include "core/redaction.h"
#include "plan/overrides.h"
#include "plan/plan_reader.h"
#include "plan/yaml_document.h"
#include "plan/yaml_reader.h"
#include "text/utf8.h"

namespace surge::plan {
namespace {

// Plans are hand-written; anything this large is a wrong path (a log, /dev/zero), not a plan.
constexpr size_t kMaxPlanBytes = 16 << 20;

core::Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::fail("cannot read plan '" + path + "': " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || text.size() + static_cast<size_t>(n) > kMaxPlanBytes) {
      int err = errno;
      ::close(fd);
      if (n < 0) return core::fail("cannot read plan '" + path + "': " + std::strerror(err));
      if (n > 0) return core::fail("cannot read plan '" + path + "': larger than 16 MiB");
      return text;
    }
    text.append(buffer, static_cast<size_t>(n));
  }
}

// yaml-cpp passes invalid UTF-8 and most control bytes through into scalars, and so into requests;
// binary garbage must instead be one clean diagnostic at its first bad byte.
std::optional<Diagnostic> check_text(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < text.size(); ++column) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", byte);
      return Diagnostic{{file, line, column},
                        std::string("plan contains a control character (") + hex + "); expected text"};
    }
    size_t length = text::utf8_sequence_length(text, i);
    if (length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", byte);
      return Diagnostic{{file, line, column}, std::string("plan is not valid UTF-8: invalid byte ") + hex};
    }
    if (byte == '\n') {
      ++line;
      column = 0;
    }
    i += length;
  }
  return std::nullopt;
}

// yaml-cpp exceptions carry a 0-based mark, null when it has none.
SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

Diagnostics one(SourceLocation where, std::string message) {
  return {Diagnostic{std::move(where), std::move(message)}};
}

core::Result<Plan, Diagnostics> parse_and_read(std::string_view yaml, const std::string& file,
                                               const Overrides& overrides) {
  YamlReader reader(file);
  YamlDocument document = load_first_document(std::string(yaml));
  if (document.root.IsNull()) {
    return core::Unexpected<Diagnostics>{
        one({file, 0, 0}, "plan is empty; expected a map with keys name, target, phases and scenarios")};
  }
  if (document.second_start) {
    return core::Unexpected<Diagnostics>{
        one(location_of(*document.second_start, file), "plan has more than one YAML document; expected one")};
  }
  apply_sets(reader, document.root, overrides.sets);
  Plan plan = read_plan(reader, document.root, file, overrides.environment, overrides.allow_outside_files);
  check_overrides(reader, overrides);
  // Scaling an invalid plan would only add messages about values already reported.
  if (!reader.has_errors() && overrides.scale != 1.0) apply_scale(reader, overrides.scale, plan);
  if (!reader.has_errors() && overrides.max_users) apply_max_users(reader, *overrides.max_users, plan);
  collect_secrets(plan);
  if (reader.has_errors()) {
    // A message that quotes a value ("found 'Bearer ...'") must not show a secret either.
    const core::Redactor redactor(plan.secrets);
    Diagnostics diagnostics = reader.take_diagnostics();
    for (Diagnostic& diagnostic : diagnostics) redactor.redact_in_place(diagnostic.message);
    return core::Unexpected<Diagnostics>{std::move(diagnostics)};
  }
  return plan;
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string prefix = where.file;
  if (where.line > 0) {
    prefix += (prefix.empty() ? "" : ":") + std::to_string(where.line) + ":" + std::to_string(where.column);
  }
  return prefix.empty() ? message : prefix + ": " + message;
}

std::string_view to_string(LoadModel model) {
  switch (model) {
    case LoadModel::kClosed:
      return "closed";
    case LoadModel::kOpen:
      return "open";
    case LoadModel::kConstant:
      return "constant";
    case LoadModel::kHold:
      return "hold";
  }
  return "unknown";
}

double Ramp::at(double fraction) const { return from + (to - from) * std::clamp(fraction, 0.0, 1.0); }

Duration Plan::total_duration() const {
  Duration total{};
  for (const Phase& phase : phases) total += phase.duration;
  return total;
}

core::Result<Plan, Diagnostics> load_plan_file(const std::string& path, const Overrides& overrides) {
  auto text = read_file(path);
  if (!text) return core::Unexpected<Diagnostics>{one({}, text.error().message)};
  return load_plan_string(*text, path, overrides);
}

core::Result<Plan, Diagnostics> load_plan_string(std::string_view yaml, const std::string& file_name,
                                                 const Overrides& overrides) {
  if (auto bad_text = check_text(yaml, file_name)) {
    return core::Unexpected<Diagnostics>{{std::move(*bad_text)}};
  }
  try {
    return parse_and_read(yaml, file_name, overrides);
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp gives this one the text "bad file"; say what actually went wrong.
    return core::Unexpected<Diagnostics>{
        one(location_of(error.mark, file_name), "invalid YAML: nested too deeply")};
  } catch (const YAML::Exception& error) {
    return core::Unexpected<Diagnostics>{
        one(location_of(error.mark, file_name), "invalid YAML: " + error.msg)};
  } catch (const std::exception& error) {
    return core::Unexpected<Diagnostics>{
        one({file_name, 0, 0}, std::string("cannot load plan: ") + error.what())};
  } catch (...) {
    return core::Unexpected<Diagnostics>{one({file_name, 0, 0}, "cannot load plan: unknown error")};
  }
}

}  // namespace surge::plan
