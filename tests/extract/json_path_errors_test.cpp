// compile_json_path rejects everything outside its grammar with the byte offset of the problem and a message
// naming what it found and what it expected.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "extract/json_path.h"

namespace surge::extract {
namespace {

std::string error_of(std::string_view text) {
  auto path = compile_json_path(text);
  return path ? "(compiled)" : describe(path.error());
}

TEST(JsonPathErrors, RequireTheDollarAtTheStart) {
  EXPECT_EQ(error_of(""), "at offset 0: empty JSON path; expected '$'");
  EXPECT_EQ(error_of("a.b"), "at offset 0: a JSON path starts with '$', found 'a'");
}

TEST(JsonPathErrors, RequireANameAfterADot) {
  EXPECT_EQ(error_of("$."), "at offset 2: expected a name after '.', found the end");
  EXPECT_EQ(error_of("$.a."), "at offset 4: expected a name after '.', found the end");
  EXPECT_EQ(error_of("$.a.'b'"), "at offset 4: expected a name after '.', found '''");
  EXPECT_EQ(error_of("$.a b"), "at offset 3: expected '.' or '[', found ' '");
}

TEST(JsonPathErrors, NameTheUnsupportedFeatures) {
  EXPECT_EQ(error_of("$..a"),
            "at offset 2: expected a name after '.'; recursive descent '..' is not supported");
  EXPECT_EQ(error_of("$.*"), "at offset 2: wildcards are not supported; expected a name after '.'");
  EXPECT_EQ(error_of("$[*]"), "at offset 2: wildcards are not supported; expected an index or a quoted name");
  EXPECT_EQ(error_of("$[1:2]"), "at offset 3: expected ']', found ':'");
  EXPECT_EQ(error_of("$.a[?(@.x)]"), "at offset 4: expected an index or a quoted name after '[', found '?'");
}

TEST(JsonPathErrors, PointUnterminatedBracketsAndNamesAtWhereTheyOpen) {
  EXPECT_EQ(error_of("$.items[0"), "at offset 7: unterminated '['");
  EXPECT_EQ(error_of("$.items["), "at offset 7: unterminated '['");
  EXPECT_EQ(error_of("$['a"), "at offset 2: unterminated name; expected a closing '");
  EXPECT_EQ(error_of("$[\"a'] "), "at offset 2: unterminated name; expected a closing \"");
  EXPECT_EQ(error_of("$['a'"), "at offset 1: unterminated '['");
}

TEST(JsonPathErrors, RejectBadIndexes) {
  EXPECT_EQ(error_of("$[abc]"), "at offset 2: expected an index or a quoted name after '[', found 'a'");
  EXPECT_EQ(error_of("$[-]"), "at offset 3: expected digits after '-', found ']'");
  EXPECT_EQ(error_of("$[99999999999999999999]"), "at offset 2: index out of range");
  EXPECT_EQ(error_of("$[1 2]"), "at offset 4: expected ']', found '2'");
}

TEST(JsonPathErrors, RejectBadEscapesInQuotedNames) {
  EXPECT_EQ(error_of(R"($['a\x'])"), "at offset 4: unknown escape '\\x'");
  EXPECT_EQ(error_of(R"($['\u12'])"), "at offset 3: expected four hex digits after '\\u'");
  EXPECT_EQ(error_of(R"($['\ud800'])"), "at offset 3: unpaired surrogate in '\\u' escape");
  EXPECT_EQ(error_of(R"($['\udc00\ud800'])"), "at offset 3: unpaired surrogate in '\\u' escape");
}

}  // namespace
}  // namespace surge::extract
