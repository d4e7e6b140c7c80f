// Every plan of the broken corpus (tests/plan/broken, at least 50: bad YAML, wrong types, huge numbers,
// unknown keys, bad templates, SLA expressions, binary garbage) through the real binary: `surge validate` and
// `surge run` both exit 2, each message line starting with file:line:column, and neither crashes or hangs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace surge::e2e {
namespace {

std::vector<std::string> broken_plans() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/tests/plan/broken")) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

void expect_positioned_error(const std::string& command, const std::string& path) {
  Process process({surge_binary(), command, path});
  const int code = process.wait(20);
  EXPECT_EQ(code, 2) << command << " " << path << ": " << process.stderr_text();
  const std::string text = process.stderr_text();
  std::istringstream lines(text);
  std::string first;
  std::getline(lines, first);
  const std::string escaped = std::regex_replace(path, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
  EXPECT_TRUE(std::regex_search(first, std::regex("^" + escaped + ":[0-9]+:[0-9]+: ")))
      << command << " " << path << ": " << text;
}

TEST(BrokenPlans, ValidateAndRunExitTwoWithTheFileLineAndColumn) {
  const std::vector<std::string> paths = broken_plans();
  ASSERT_GE(paths.size(), 50u);
  for (const std::string& path : paths) {
    expect_positioned_error("validate", path);
    expect_positioned_error("run", path);
  }
}

}  // namespace
}  // namespace surge::e2e
