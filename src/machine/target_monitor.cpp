// /proc parsing for target monitoring. Everything is read fresh each second and summed over the tree found
// that second, so workers a server forks (or restarts) are counted as they come and go.
#include "machine/target_monitor.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"

namespace surge::machine {
namespace {

struct ProcStat {
  pid_t ppid = 0;
  uint64_t cpu_ticks = 0;  // utime + stime
  uint64_t threads = 0;
  uint64_t rss_pages = 0;
};

// /proc/PID/stat: the command name is in parentheses and may hold spaces or ')', so fields are counted from
// the last ')'. Fields after it (1-based in proc(5)): 3 state, 4 ppid, 14 utime, 15 stime, 20 num_threads,
// 24 rss.
std::optional<ProcStat> read_stat(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(file, text)) return std::nullopt;
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::vector<std::string> values;
  for (std::string value; fields >> value;) values.push_back(value);
  if (values.size() < 22) return std::nullopt;  // values[0] is field 3
  auto field = [&](int number) { return std::strtoull(values[size_t(number - 3)].c_str(), nullptr, 10); };
  return ProcStat{static_cast<pid_t>(field(4)), field(14) + field(15), field(20), field(24)};
}

uint64_t count_fds(pid_t pid) {
  DIR* dir = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr) return 0;
  uint64_t count = 0;
  while (const dirent* entry = readdir(dir)) count += entry->d_name[0] != '.';
  closedir(dir);
  return count;
}

// pid and all its descendants, from one pass over /proc.
std::vector<pid_t> process_tree(pid_t root) {
  std::unordered_map<pid_t, std::vector<pid_t>> children;
  if (DIR* dir = opendir("/proc")) {
    while (const dirent* entry = readdir(dir)) {
      const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
      if (pid <= 0 || pid == root) continue;
      if (auto stat = read_stat(pid)) children[stat->ppid].push_back(pid);
    }
    closedir(dir);
  }
  std::vector<pid_t> tree{root};
  for (size_t i = 0; i < tree.size(); ++i) {
    auto found = children.find(tree[i]);
    if (found != children.end()) tree.insert(tree.end(), found->second.begin(), found->second.end());
  }
  return tree;
}

}  // namespace

TargetMonitor::TargetMonitor(pid_t pid) : pid_(pid) {}

std::optional<results::TargetSample> TargetMonitor::sample() {
  if (!read_stat(pid_)) return std::nullopt;
  static const double ticks_per_s = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const uint64_t page_bytes = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  results::TargetSample sample;
  uint64_t ticks = 0;
  for (pid_t pid : process_tree(pid_)) {
    auto stat = read_stat(pid);
    if (!stat) continue;  // exited between the scan and now
    ticks += stat->cpu_ticks;
    sample.threads += stat->threads;
    sample.rss_bytes += stat->rss_pages * page_bytes;
    sample.open_fds += count_fds(pid);
  }
  sample.cpu_s = static_cast<double>(ticks) / ticks_per_s;
  const int64_t now = core::monotonic_ns();
  if (last_ns_ != 0 && now > last_ns_) {
    sample.cpu_percent =
        (sample.cpu_s - last_cpu_s_) / (static_cast<double>(now - last_ns_) / core::kNsPerSec) * 100;
  }
  last_cpu_s_ = sample.cpu_s;
  last_ns_ = now;
  return sample;
}

}  // namespace surge::machine
