// Output files: parse the --out requests, render each kind, write atomically (temp file + fsync + rename).
#include "report/outputs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>

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

using nlohmann::json;

std::string indented_by_two(const json& value) {
  // A name from the plan that is not valid UTF-8 becomes U+FFFD rather than losing the whole file.
  return value.dump(2, ' ', false, json::error_handler_t::replace);
}

// The document indented by two, as nlohmann's dump(2) prints it, except that `timeseries` comes last and is
// written a row at a time.
core::Result<void> render_json(const ResultsDocument& results, OutputSink& out) {
  const json& head = results.head();
  if (!results.has_timeseries() || !head.is_object()) {
    out.write(indented_by_two(head) + "\n");
    return {};
  }
  if (head.empty()) {
    out.write("{\n");
  } else {
    std::string text = indented_by_two(head);
    text.resize(text.size() - 2);  // the closing "\n}": the rows follow
    out.write(text);
    out.write(",\n");
  }
  out.write("  \"timeseries\": [");
  bool first = true;
  auto written = results.each_second([&](const json& second) -> core::Result<void> {
    out.write(first ? "\n    " : ",\n    ");
    first = false;
    // The row as dump(2) prints it, each of its lines moved right by the four spaces of its depth (a line
    // break can only be between tokens: inside strings it is escaped).
    const std::string text = indented_by_two(second);
    size_t at = 0;
    for (size_t line_end; (line_end = text.find('\n', at)) != std::string::npos; at = line_end + 1) {
      out.write(std::string_view(text).substr(at, line_end + 1 - at));
      out.write("    ");
    }
    out.write(std::string_view(text).substr(at));
    return {};
  });
  if (!written) return core::fail("cannot write json: " + written.error().message);
  out.write(first ? "]\n}\n" : "\n  ]\n}\n");
  return {};
}

// Every kind --out accepts. Each renders from the results.json document alone, so `surge report` rebuilds
// any of them later from the file.
struct OutputKind {
  std::string_view name;
  core::Result<void> (*render)(const ResultsDocument& results, OutputSink& out);
};
constexpr OutputKind kOutputKinds[] = {
    {"json", render_json}, {"csv", render_csv},     {"html", render_html},
    {"hlog", render_hlog}, {"junit", render_junit},
};

}  // namespace

std::string output_kinds() {
  std::string names;
  for (const OutputKind& kind : kOutputKinds) names += (names.empty() ? "" : ", ") + std::string(kind.name);
  return names;
}

core::Result<void> render_output(std::string_view kind, const ResultsDocument& results, OutputSink& out) {
  for (const OutputKind& known : kOutputKinds) {
    if (known.name == kind) return known.render(results, out);
  }
  return core::fail("unknown output kind '" + std::string(kind) +
                    "'; this version writes: " + output_kinds());
}

core::Result<std::string> render_output(std::string_view kind, const nlohmann::json& results) {
  StringSink out;
  if (auto rendered = render_output(kind, ResultsDocument(results), out); !rendered)
    return core::fail(rendered.error().message);
  return out.take();
}

core::Result<OutputRequest> parse_output_request(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size()) {
    return core::fail("invalid --out \"" + std::string(text) +
                      "\": expected KIND=FILE, like json=results.json");
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

namespace {

// Buffers writes to a file descriptor; the first failure is kept and every later write dropped.
class FileSink : public OutputSink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  void write(std::string_view text) override {
    buffer_.append(text);
    if (buffer_.size() >= kFlushBytes) flush();
  }
  // Writes what is buffered; the errno of the first failed write, or 0.
  int flush() {
    for (size_t done = 0; error_ == 0 && done < buffer_.size();) {
      ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : ENOSPC;
      if (n > 0) done += static_cast<size_t>(n);
    }
    buffer_.clear();
    return error_;
  }

 private:
  static constexpr size_t kFlushBytes = 256 * 1024;
  int fd_;
  int error_ = 0;
  std::string buffer_;
};

class StdoutSink : public OutputSink {
 public:
  void write(std::string_view text) override { std::fwrite(text.data(), 1, text.size(), stdout); }
};

}  // namespace

core::Result<void> write_file_atomically(const std::string& path,
                                         const std::function<core::Result<void>(OutputSink&)>& produce) {
  std::string temp = path + ".tmp." + std::to_string(getpid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::fail("cannot write '" + path + "': " + core::errno_text(errno));
  FileSink sink(fd);
  auto produced = produce(sink);
  const int write_error = sink.flush();
  if (!produced || write_error != 0) {
    close(fd);
    unlink(temp.c_str());
    if (!produced) return core::fail(produced.error().message + " (" + path + " not written)");
    return core::fail("cannot write '" + path + "': " + core::errno_text(write_error));
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

bool write_output_files(const ResultsDocument& results, const std::vector<OutputRequest>& outputs) {
  bool all_written = true;
  for (const OutputRequest& output : outputs) {
    auto written = write_file_atomically(
        output.path, [&](OutputSink& sink) { return render_output(output.kind, results, sink); });
    if (!written) {
      std::fprintf(stderr, "surge: %s\n", written.error().message.c_str());
      all_written = false;
    }
  }
  return all_written;
}

int write_outputs(const results::RunResult& result, const std::vector<OutputRequest>& outputs) {
  if (outputs.empty()) return 0;
  std::optional<core::Redactor> redactor;
  if (!result.secrets.empty()) redactor.emplace(result.secrets);
  json head = results_head(result);  // built once; every writer reads it
  if (redactor) redact_results(head, *redactor);
  // Each output makes the rows again, one at a time: a day-long run's 86,400 never sit in memory as JSON.
  const ResultsDocument results(std::move(head), [&](const SecondVisitor& visit) -> core::Result<void> {
    for (const results::SecondRow& row : result.timeseries) {
      json second = timeseries_row(row, result.steps);
      if (redactor) redact_strings(second, *redactor);
      if (auto visited = visit(second); !visited) return visited;
    }
    return {};
  });
  if (write_output_files(results, outputs)) return 0;
  std::fputs("surge: results.json follows on stdout\n", stderr);
  StdoutSink out;
  (void)render_json(results, out);
  return 1;
}

}  // namespace surge::report
