// find_header over a raw head: case-insensitive names, trimmed values, the first of repeated fields.
#include "extract/header.h"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace surge::extract {
namespace {

constexpr std::string_view kHead =
    "Content-Type: application/json\r\n"
    "X-Cache:  HIT \t\r\n"
    "Set-Cookie: a=1\r\n"
    "Set-Cookie: b=2\r\n"
    "Empty:\r\n"
    "Bad : x\r\n"
    "Last:value";

TEST(FindHeader, MatchesNamesWhateverTheirCase) {
  EXPECT_EQ(find_header(kHead, "content-type"), "application/json");
  EXPECT_EQ(find_header(kHead, "CONTENT-TYPE"), "application/json");
}

TEST(FindHeader, TrimsSpacesAndTabsAroundTheValue) { EXPECT_EQ(find_header(kHead, "x-cache"), "HIT"); }

TEST(FindHeader, ReturnsTheFirstOfRepeatedFields) { EXPECT_EQ(find_header(kHead, "Set-Cookie"), "a=1"); }

TEST(FindHeader, FindsAnEmptyValueAsPresent) { EXPECT_EQ(find_header(kHead, "Empty"), ""); }

TEST(FindHeader, ReadsTheLastLineWithoutALineEnd) { EXPECT_EQ(find_header(kHead, "Last"), "value"); }

TEST(FindHeader, ReturnsNothingForMissingNamesPrefixesAndMalformedLines) {
  EXPECT_EQ(find_header(kHead, "Missing"), std::nullopt);
  EXPECT_EQ(find_header(kHead, "X-Cach"), std::nullopt);
  EXPECT_EQ(find_header(kHead, "Bad"), std::nullopt);  // space before the colon
  EXPECT_EQ(find_header("", "X-Cache"), std::nullopt);
}

TEST(FindHeader, AcceptsBareLineFeeds) {
  EXPECT_EQ(find_header("A: 1\nB: 2\n", "b"), "2");
  EXPECT_EQ(find_header("A: 1\nB: 2\n", "a"), "1");
}

}  // namespace
}  // namespace surge::extract
