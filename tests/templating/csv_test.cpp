// parse_csv / load_csv: RFC 4180 fields, line endings, the BOM, and every error with its file and line.
#include "templating/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace surge::templating {
namespace {

FeederTable parse_ok(std::string_view text) {
  auto table = parse_csv(text, "users.csv");
  EXPECT_TRUE(table) << (table ? "" : table.error().message);
  return table ? *table : FeederTable{};
}

std::string parse_error(std::string_view text) {
  auto table = parse_csv(text, "users.csv");
  EXPECT_FALSE(table) << text;
  return table ? "" : table.error().message;
}

TEST(ParseCsv, ReadsTheHeaderAndRows) {
  FeederTable table = parse_ok("email,password\nann@x.io,pw1\nbob@x.io,pw2\n");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"email", "password"}));
  EXPECT_EQ(table.rows, (std::vector<Row>{{"ann@x.io", "pw1"}, {"bob@x.io", "pw2"}}));
  EXPECT_EQ(table.column_index("password"), 1u);
  EXPECT_EQ(table.column_index("name"), std::nullopt);
}

TEST(ParseCsv, AcceptsCrlfAndAMissingFinalLineBreak) {
  FeederTable table = parse_ok("a,b\r\n1,2\r\n3,4");
  EXPECT_EQ(table.rows, (std::vector<Row>{{"1", "2"}, {"3", "4"}}));
}

TEST(ParseCsv, ReadsQuotedFieldsWithCommasDoubledQuotesAndLineBreaks) {
  FeederTable table = parse_ok("name,note\n\"Doe, Jane\",\"say \"\"hi\"\"\"\n\"multi\r\nline\",\"\"\n");
  EXPECT_EQ(table.rows, (std::vector<Row>{{"Doe, Jane", "say \"hi\""}, {"multi\r\nline", ""}}));
}

TEST(ParseCsv, KeepsEmptyFieldsIncludingATrailingOne) {
  FeederTable table = parse_ok("a,b,c\n,,\n1,,\n");
  EXPECT_EQ(table.rows, (std::vector<Row>{{"", "", ""}, {"1", "", ""}}));
}

TEST(ParseCsv, KeepsSpacesAndALoneCarriageReturnInsideAField) {
  FeederTable table = parse_ok("a\n x \ny\rz\n");
  EXPECT_EQ(table.rows, (std::vector<Row>{{" x "}, {"y\rz"}}));
}

TEST(ParseCsv, SkipsTheUtf8ByteOrderMarkAndEmptyLines) {
  FeederTable table = parse_ok("\xEF\xBB\xBFid\n\n1\r\n\r\n2\n\n");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"id"}));
  EXPECT_EQ(table.rows, (std::vector<Row>{{"1"}, {"2"}}));
}

TEST(ParseCsv, RejectsAnEmptyFile) {
  EXPECT_EQ(parse_error(""), "users.csv:1: empty file: expected a header row with the column names");
  EXPECT_EQ(parse_error("\xEF\xBB\xBF\n\n"),
            "users.csv:1: empty file: expected a header row with the column names");
}

TEST(ParseCsv, RejectsAHeaderWithoutRows) {
  EXPECT_EQ(parse_error("\nemail\n"),
            "users.csv:2: a header but no rows: expected at least one row after the header");
}

TEST(ParseCsv, RejectsARowWithAnotherNumberOfFields) {
  EXPECT_EQ(parse_error("a,b\n1,2\n1,2,3\n"), "users.csv:3: expected 2 fields as in the header, found 3");
  EXPECT_EQ(parse_error("a,b\n\"x\ny\",2\n1\n"), "users.csv:4: expected 2 fields as in the header, found 1");
}

TEST(ParseCsv, RejectsAnUnterminatedQuoteAtTheLineItOpens) {
  EXPECT_EQ(parse_error("a,b\n1,2\n3,\"open\n\n4,5\n"),
            "users.csv:3: unterminated quoted field: expected a closing '\"'");
}

TEST(ParseCsv, RejectsAQuoteInsideAnUnquotedField) {
  EXPECT_EQ(
      parse_error("a\nab\"c\n"),
      "users.csv:2: '\"' inside an unquoted field: expected the whole field in quotes, with \"\" for '\"'");
}

TEST(ParseCsv, RejectsTextAfterAClosingQuote) {
  EXPECT_EQ(parse_error("a,b\n\"x\"y,2\n"),
            "users.csv:2: unexpected 'y' after a closing quote: expected ',' or the end of the line");
}

TEST(ParseCsv, RejectsAnEmptyColumnName) {
  EXPECT_EQ(parse_error("a,,c\n1,2,3\n"), "users.csv:1: empty name for column 2: expected a column name");
}

TEST(ParseCsv, RejectsADuplicateColumnName) {
  EXPECT_EQ(parse_error("email,name,email\n1,2,3\n"),
            "users.csv:1: duplicate column name 'email': expected each name once");
}

TEST(LoadCsv, ReadsAFile) {
  const std::string path = ::testing::TempDir() + "surge_load_csv_" + std::to_string(getpid()) + ".csv";
  std::ofstream(path) << "id,name\n1,\"a,b\"\n";
  auto table = load_csv(path);
  std::remove(path.c_str());
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->rows, (std::vector<Row>{{"1", "a,b"}}));
}

TEST(LoadCsv, NamesTheFileAndErrnoWhenItCannotOpen) {
  auto table = load_csv("/nonexistent/users.csv");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message, "/nonexistent/users.csv: cannot open: ENOENT (No such file or directory)");
}

TEST(LoadCsv, NamesThePathInParseErrors) {
  const std::string path = ::testing::TempDir() + "surge_load_csv_bad_" + std::to_string(getpid()) + ".csv";
  std::ofstream(path) << "a,b\n1\n";
  auto table = load_csv(path);
  std::remove(path.c_str());
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message, path + ":2: expected 2 fields as in the header, found 1");
}

}  // namespace
}  // namespace surge::templating
