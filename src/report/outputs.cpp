// Output files: parse the --out requests, render each kind, write atomically (temp file + fsync + rename).
#include "report/outputs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "core/errno_text.h"
#include "core/redaction.h"
#include "report/csv.h"
#include "report/hlog.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/results_json.h"

namespace surge::report {
namespace {

// Every string in the document (values and keys: names of steps, checks, metrics, the target URL, messages)
// with the secrets replaced, so each output rendered from it is clean.
void redact_strings(nlohmann::json& node, const core::Redactor& redactor) {
  if (node.is_string()) {
    redactor.redact_in_place(node.get_ref<std::string&>());
  } else if (node.is_array()) {
    for (nlohmann::json& item : node) redact_strings(item, redactor);
  } else if (node.is_object()) {
    nlohmann::json redacted = nlohmann::json::object();
    for (auto& [key, value] : node.items()) {
      redact_strings(value, redactor);
      redacted[redactor.redact(key)] = std::move(value);
    }
    node = std::move(redacted);
  }
}

// The whole document but a segment part's encoded data (`partial.seconds`, base64 per-second grids, and
// `partial.plan_hash`): they hold no plan text, and a secret's letters met by chance inside base64 would
// corrupt what surge merge decodes.
void redact_results(nlohmann::json& results, const core::Redactor& redactor) {
  nlohmann::json encoded = nlohmann::json::object();
  auto partial = results.find("partial");
  const bool is_part = partial != results.end() && partial->is_object();
  if (is_part) {
    for (const char* key : {"seconds", "plan_hash"}) {
      if (auto found = partial->find(key); found != partial->end()) {
        encoded[key] = std::move(*found);
        partial->erase(found);
      }
    }
  }
  redact_strings(results, redactor);
  if (is_part) {
    for (auto& [key, value] : encoded.items()) results["partial"][key] = std::move(value);
  }
}

core::Result<std::string> render_json(const nlohmann::json& results) {
  // A name from the plan that is not valid UTF-8 becomes U+FFFD rather than losing the whole file.
  return results.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Every kind --out accepts. Each renders from the results.json document alone, so `surge report` rebuilds
// any of them later from the file.
struct OutputKind {
  std::string_view name;
  core::Result<std::string> (*render)(const nlohmann::json& results);
};
constexpr OutputKind kOutputKinds[] = {
    {"json", render_json},
    {"csv", render_csv},
    {"html", render_html},
    {"hlog", render_hlog},
    {"junit", render_junit},
};

}  // namespace

std::string output_kinds() {
  std::string names;
  for (const OutputKind& kind : kOutputKinds) names += (names.empty() ? "" : ", ") + std::string(kind.name);
  return names;
}

core::Result<std::string> render_output(std::string_view kind, const nlohmann::json& results) {
  for (const OutputKind& known : kOutputKinds) {
    if (known.name == kind) return known.render(results);
  }
  return core::fail("unknown output kind '" + std::string(kind) + "'; this version writes: " + output_kinds());
}

core::Result<OutputRequest> parse_output_request(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size()) {
    return core::fail("invalid --out \"" + std::string(text) + "\": expected KIND=FILE, like json=results.json");
  }
  OutputRequest request{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
  bool known = false;
  for (const OutputKind& kind : kOutputKinds) known = known || kind.name == request.kind;
  if (!known) {
    return core::fail("invalid --out \"" + std::string(text) + "\": unknown kind '" + request.kind +
                      "'; this version writes: " + output_kinds());
  }
  return request;
}

core::Result<void> write_file_atomically(const std::string& path, std::string_view content) {
  std::string temp = path + ".tmp." + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::fail("cannot write '" + path + "': " + core::errno_text(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : ENOSPC;
      close(fd);
      unlink(temp.c_str());
      return core::fail("cannot write '" + path + "': " + core::errno_text(err));
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) < 0 || close(fd) < 0) {
    int err = errno;
    unlink(temp.c_str());
    return core::fail("cannot write '" + path + "': " + core::errno_text(err));
  }
  if (rename(temp.c_str(), path.c_str()) < 0) {
    int err = errno;
    unlink(temp.c_str());
    return core::fail("cannot write '" + path + "': " + core::errno_text(err));
  }
  return {};
}

bool write_output_files(const nlohmann::json& results, const std::vector<OutputRequest>& outputs) {
  bool all_written = true;
  for (const OutputRequest& output : outputs) {
    auto content = render_output(output.kind, results);
    if (!content) {
      std::fprintf(stderr, "surge: %s (%s not written)\n", content.error().message.c_str(), output.path.c_str());
      all_written = false;
      continue;
    }
    auto written = write_file_atomically(output.path, *content);
    if (!written) {
      std::fprintf(stderr, "surge: %s\n", written.error().message.c_str());
      all_written = false;
    }
  }
  return all_written;
}

int write_outputs(const RunResult& result, const std::vector<OutputRequest>& outputs) {
  if (outputs.empty()) return 0;
  nlohmann::json results = to_results_json(result);  // built once; every writer reads this document
  if (!result.secrets.empty()) redact_results(results, core::Redactor(result.secrets));
  if (write_output_files(results, outputs)) return 0;
  std::fputs("surge: results.json follows on stdout\n", stderr);
  std::fputs(render_json(results)->c_str(), stdout);
  return 1;
}

}  // namespace surge::report
