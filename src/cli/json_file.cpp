#include "cli/json_file.h"

#include <cerrno>
#include <fstream>
#include <sstream>

#include "core/errno_text.h"

namespace surge::cli {

core::Result<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return core::fail("cannot read '" + path + "': " + core::errno_text(errno));
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return core::fail("cannot read '" + path + "': " + core::errno_text(errno));
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    std::string reason = e.what();
    const std::string noise = "[json.exception.parse_error.101] parse error at ";
    if (reason.rfind(noise, 0) == 0) reason.erase(0, noise.size());
    return core::fail("'" + path + "' is not valid JSON: " + reason);
  }
}

}  // namespace surge::cli
