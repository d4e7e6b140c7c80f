// Output requests and files: the kinds a build knows, one document rendered for every kind, and a file that
// cannot be written failing alone while the others are still written.
#include "report/outputs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace surge::report {
namespace {

using nlohmann::json;

std::string temp_dir() {
  static std::string dir = [] {
    char pattern[] = "/tmp/surge-report-test-XXXXXX";
    return std::string(mkdtemp(pattern));
  }();
  return dir;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

json minimal_results() {
  return {{"surge_version", "0.1.0"},
          {"plan", "p"},
          {"started_at_unix_ms", 0},
          {"duration_s", 1.0},
          {"timeseries", json::array()}};
}

TEST(OutputRequest, ListsTheKindsThisBuildWritesForAnUnknownOne) {
  auto request = parse_output_request("pdf=report.pdf");
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().message.rfind(
                "invalid --out \"pdf=report.pdf\": unknown kind 'pdf'; this version writes: "
                "json, csv, html, hlog",
                0),
            0u)
      << request.error().message;
}

TEST(OutputRequest, AcceptsEachReportKind) {
  for (const char* kind : {"json", "csv", "html", "hlog"}) {
    auto request = parse_output_request(std::string(kind) + "=out." + kind);
    ASSERT_TRUE(request) << kind;
    EXPECT_EQ(request->kind, kind);
    EXPECT_EQ(request->path, std::string("out.") + kind);
  }
}

TEST(RenderOutput, JsonIsTheDocumentIndentedByTwo) {
  auto text = render_output("json", minimal_results());
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, minimal_results().dump(2) + "\n");
}

TEST(RenderOutput, RefusesAnUnknownKind) {
  auto text = render_output("pdf", minimal_results());
  ASSERT_FALSE(text);
  EXPECT_EQ(
      text.error().message.rfind("unknown output kind 'pdf'; this version writes: json, csv, html, hlog", 0),
      0u);
}

TEST(WriteOutputFiles, WritesTheOthersWhenOneFails) {
  const std::string csv = temp_dir() + "/a.csv", hlog = temp_dir() + "/a.hlog";
  const std::vector<OutputRequest> outputs = {
      {"csv", csv}, {"json", temp_dir() + "/no-such-dir/results.json"}, {"hlog", hlog}};
  EXPECT_FALSE(write_output_files(minimal_results(), outputs));
  EXPECT_EQ(read_file(csv), *render_output("csv", minimal_results()));
  EXPECT_EQ(read_file(hlog), *render_output("hlog", minimal_results()));
}

TEST(WriteOutputFiles, ReportsSuccessWhenAllAreWritten) {
  const std::string html = temp_dir() + "/b.html";
  EXPECT_TRUE(write_output_files(minimal_results(), {{"html", html}}));
  EXPECT_EQ(read_file(html), *render_output("html", minimal_results()));
}

}  // namespace
}  // namespace surge::report
