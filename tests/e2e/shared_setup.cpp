#include "shared_setup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support.h"

namespace surge::e2e {
namespace {

// The ctest process this test runs under, as "PID-STARTTIME" (the start time tells a reused PID apart), or
// empty when the parent is not ctest.
std::string ctest_identity(pid_t parent) {
  const std::string proc = "/proc/" + std::to_string(parent);
  std::string comm = read_file(proc + "/comm");
  if (comm.rfind("ctest", 0) != 0) return "";
  // /proc/PID/stat: field 22 is the start time; the command (field 2) may hold spaces, so count after ')'.
  const std::string stat = read_file(proc + "/stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
  }
  return std::to_string(parent) + "-" + field;
}

std::string binary_identity(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return "missing";
  return std::to_string(info.st_size) + "." + std::to_string(info.st_mtim.tv_sec) + "." +
         std::to_string(info.st_mtim.tv_nsec);
}

// Folders of this name left by ctest runs that have ended (each is a few files; a run of the suite leaves
// one).
void remove_stale(const std::string& base, const std::string& name) {
  const std::string prefix = "surge-shared-" + name + "-";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(base, error)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) != 0) continue;
    const std::string key = file.substr(prefix.size());  // PID-STARTTIME-HASH[.lock]
    const size_t dash = key.find('-'), second = key.find('-', dash + 1);
    if (dash == std::string::npos || second == std::string::npos) continue;
    const std::string owner = key.substr(0, second);
    if (ctest_identity(static_cast<pid_t>(std::atoi(key.c_str()))) == owner) continue;  // still running
    std::filesystem::remove_all(entry.path(), error);
  }
}

SharedSetup do_work(const std::string& dir, const std::function<nlohmann::json(const std::string&)>& work) {
  mkdir(dir.c_str(), 0755);
  return {dir, work(dir)};
}

}  // namespace

SharedSetup shared_setup(const std::string& name,
                         const std::function<nlohmann::json(const std::string&)>& work) {
  const std::string parent = ctest_identity(getppid());
  if (parent.empty()) return do_work(temp_dir() + "/shared-" + name, work);

  const char* tmpdir = std::getenv("TMPDIR");
  const std::string base = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  const std::string key = parent + "-" +
                          std::to_string(std::hash<std::string>{}(binary_identity(surge_binary()) + "/" +
                                                                  binary_identity("/proc/self/exe")));
  const std::string dir = base + "/surge-shared-" + name + "-" + key;
  const std::string facts_path = dir + "/facts.json";

  // One process works, the others wait here; flock is let go when its holder exits, however it exits.
  const int lock = open((dir + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  flock(lock, LOCK_EX);
  SharedSetup setup;
  nlohmann::json facts = nlohmann::json::parse(read_file(facts_path), nullptr, false);
  if (facts.is_discarded()) {
    remove_stale(base, name);
    setup = do_work(dir, work);
    // Written whole, then renamed: a reader sees all of it or none.
    std::ofstream(facts_path + ".part") << setup.facts.dump();
    std::rename((facts_path + ".part").c_str(), facts_path.c_str());
  } else {
    setup = {dir, std::move(facts)};
  }
  flock(lock, LOCK_UN);
  close(lock);
  return setup;
}

}  // namespace surge::e2e
