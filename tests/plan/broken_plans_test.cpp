// The corpus of broken plans (tests/plan/broken: bad YAML, wrong types, huge and negative numbers, unknown
// keys, bad templates, expressions and paths, binary garbage): every one fails to load with diagnostics that
// all carry file:line:column, and none crashes (CI runs this under ASan + UBSan). tests/e2e/validate_test.cpp
// runs the same files through `surge validate`.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "plan/plan.h"

namespace surge::plan {
namespace {

std::vector<std::string> broken_plans() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SURGE_SOURCE_DIR) + "/tests/plan/broken")) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST(BrokenPlans, EachFailsWithItsPosition) {
  const std::vector<std::string> paths = broken_plans();
  ASSERT_GE(paths.size(), 50u) << "the corpus has at least 50 broken plans";
  for (const std::string& path : paths) {
    auto plan = load_plan_file(path);
    // SLA expressions are parsed by the sla module once the plan has loaded: `surge validate` (the e2e test)
    // judges the sla-* files; here they only must not crash.
    const bool judged_later = std::filesystem::path(path).filename().string().starts_with("sla-");
    if (plan) {
      if (!judged_later) ADD_FAILURE() << path << " loaded; it should be broken";
      continue;
    }
    ASSERT_FALSE(plan.error().empty()) << path;
    const std::regex positioned("^" + std::regex_replace(path, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                                R"(:[0-9]+:[0-9]+: .+)");
    for (const Diagnostic& diagnostic : plan.error()) {
      EXPECT_TRUE(std::regex_match(diagnostic.to_string(), positioned)) << diagnostic.to_string();
    }
  }
}

}  // namespace
}  // namespace surge::plan
