// The version every output prints comes from project(surge VERSION ...) in CMakeLists.txt.
#include "text/version.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace surge::text {
namespace {

TEST(Version, IsTheProjectVersionOfCMakeLists) {
  std::ifstream file(std::string(SURGE_SOURCE_DIR) + "/CMakeLists.txt");
  std::stringstream text;
  text << file.rdbuf();
  std::smatch match;
  std::string content = text.str();
  ASSERT_TRUE(std::regex_search(content, match, std::regex(R"(project\(surge VERSION ([0-9.]+))")));
  EXPECT_EQ(kVersion, match[1].str());
  EXPECT_EQ(std::string_view(SURGE_VERSION), kVersion);
}

}  // namespace
}  // namespace surge::text
