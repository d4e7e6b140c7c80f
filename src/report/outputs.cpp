// Output files: parse the --out requests, render each kind, write atomically (temp file + fsync + rename).
#include "report/outputs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "core/errno_text.h"
#include "report/results_json.h"

namespace surge::report {

core::Result<OutputRequest> parse_output_request(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size()) {
    return core::fail("invalid --out \"" + std::string(text) + "\": expected KIND=FILE, like json=results.json");
  }
  OutputRequest request{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
  if (request.kind != "json") {
    return core::fail("invalid --out \"" + std::string(text) + "\": unknown kind '" + request.kind +
                      "'; this version writes: json");
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

int write_outputs(const RunResult& result, const std::vector<OutputRequest>& outputs) {
  int code = 0;
  for (const OutputRequest& output : outputs) {
    std::string content = to_results_json(result).dump(2) + "\n";
    auto written = write_file_atomically(output.path, content);
    if (!written) {
      std::fprintf(stderr, "surge: %s; results.json follows on stdout\n", written.error().message.c_str());
      std::fputs(content.c_str(), stdout);
      code = 1;
    }
  }
  return code;
}

}  // namespace surge::report
