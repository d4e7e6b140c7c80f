// resolve_plan_file: realpath(3) on both the plan's folder and the file, then a prefix check on whole path
// components ("/plans-old" is not inside "/plans").
#include "plan/file_access.h"

#include <climits>
#include <cstdlib>

#include "core/errno_text.h"

namespace surge::plan {
namespace {

std::string folder_of(const std::string& plan_file) {
  const size_t slash = plan_file.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : plan_file.substr(0, slash);
}

std::string real_path(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) != nullptr ? std::string(resolved) : std::string();
}

bool is_inside(const std::string& path, const std::string& folder) {
  if (folder == "/") return true;
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 && path[folder.size()] == '/';
}

}  // namespace

core::Result<std::string> resolve_plan_file(const std::string& plan_file, const std::string& file,
                                            bool allow_outside) {
  const std::string folder = folder_of(plan_file);
  const bool is_absolute = !file.empty() && file.front() == '/';
  const std::string joined = is_absolute || plan_file.find('/') == std::string::npos ? file : folder + "/" + file;
  if (allow_outside) return joined;
  const std::string real_file = real_path(joined);
  if (real_file.empty()) return joined;  // missing: the reader says so, with the errno text
  const std::string real_folder = real_path(folder);
  if (real_folder.empty()) {
    return core::fail("cannot resolve the plan's folder '" + folder + "': " + core::errno_text(errno));
  }
  if (is_inside(real_file, real_folder)) return real_file;
  const std::string resolves = real_file == joined ? "" : " (it resolves to " + real_file + ")";
  return core::fail("'" + file + "' is outside the plan's folder " + real_folder + resolves +
                    "; a plan reads files only from its own folder unless --allow-outside-files is given");
}

}  // namespace surge::plan
