// YAML → JSON for `json:` bodies: exact output text for each kind of value, and the inputs it refuses.
#include "plan/json_body.h"

#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

std::string json_of(const std::string& yaml) {
  auto json = yaml_to_json(YAML::Load(yaml));
  return json ? *json : "error: " + json.error().message;
}

TEST(JsonBody, WritesNestedMapsAndSequencesCompactly) {
  EXPECT_EQ(json_of("{ a: 1, b: [true, \"x\"], c: { d: [] , e: {} } }"),
            R"({"a":1,"b":[true,"x"],"c":{"d":[],"e":{}}})");
}

TEST(JsonBody, KeepsKeysInFileOrder) { EXPECT_EQ(json_of("{ z: 1, a: 2, m: 3 }"), R"({"z":1,"a":2,"m":3})"); }

TEST(JsonBody, TypesPlainScalarsLikeYamlCoreSchema) {
  EXPECT_EQ(json_of("[1, -2, 0.5, 1e3, -0, true, False, TRUE, null, ~, ]"),
            "[1,-2,0.5,1e3,-0,true,false,true,null,null]");
}

TEST(JsonBody, KeepsQuotedScalarsAsStrings) {
  EXPECT_EQ(json_of(R"(["1", 'true', "null"])"), R"(["1","true","null"])");
}

TEST(JsonBody, WritesNonJsonNumbersAsStrings) {
  EXPECT_EQ(json_of("[0x1F, +1, .5, 01, yes, .inf, 1.]"), R"(["0x1F","+1",".5","01","yes",".inf","1."])");
}

TEST(JsonBody, WritesAnEmptyValueAsNull) { EXPECT_EQ(json_of("{ a: }"), R"({"a":null})"); }

TEST(JsonBody, WritesAScalarRoot) { EXPECT_EQ(json_of("\"hello\""), R"("hello")"); }

TEST(JsonBody, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_of(R"("a\"b\\c\nd\te\x01\r\b\f")"), R"("a\"b\\c\nd\te\u0001\r\b\f")");
}

TEST(JsonBody, PassesUtf8Through) { EXPECT_EQ(json_of("[\"caf\xc3\xa9\"]"), "[\"caf\xc3\xa9\"]"); }

TEST(JsonBody, WritesABlockScalarAsAString) {
  EXPECT_EQ(json_of("|\n  two\n  lines\n"), R"("two\nlines\n")");
}

TEST(JsonBody, RejectsNonStringKeys) {
  EXPECT_EQ(json_of("{ [1]: x }"), "error: json: keys must be strings");
}

TEST(JsonBody, RejectsDuplicateKeys) {
  EXPECT_EQ(json_of("{ a: 1, a: 2 }"), "error: json: duplicate key 'a'");
}

TEST(JsonBody, KeepsTemplatesInStringValuesForTheRenderer) {
  EXPECT_EQ(json_of("{ prompt: \"{{ random.word }}\" }"), "{\"prompt\":\"{{ random.word }}\"}");
}

TEST(JsonBody, RejectsTemplatesInKeys) {
  EXPECT_EQ(json_of("{ \"{{ random.word }}\": 1 }"), "error: json: templates are not allowed in keys");
}

TEST(JsonBody, RejectsAnAliasThatContainsItself) {
  EXPECT_EQ(json_of("&x [1, *x]"), "error: json: nested deeper than 64 levels");
}

TEST(JsonBody, RejectsAnAliasExpansionOver1MiB) {
  std::string yaml = "a: &a [" + std::string(1000, 'x') + "]\n";
  std::string previous = "a";
  for (char level = 'b'; level <= 'f'; ++level) {
    std::string name(1, level);
    yaml += name + ": &" + name + " [*" + previous + ", *" + previous + ", *" + previous + ", *" + previous +
            ", *" + previous + ", *" + previous + ", *" + previous + ", *" + previous + "]\n";
    previous = name;
  }
  EXPECT_EQ(json_of(yaml), "error: json: body larger than 1 MiB");
}

TEST(JsonBody, ReportsAJsonErrorAtTheOffendingNodeOfAPlan) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http:
          method: POST
          url: /
          json:
            user: { id: 1, id: 2 }
)"),
            Lines{"p.yaml:10:28: json: duplicate key 'id'"});
}

TEST(JsonBody, KeepsAContentTypeTheStepGives) {
  auto plan = load_plan_string(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { method: PUT, url: /, headers: { content-type: application/vnd.x+json }, json: [1] }
)",
                               "p.yaml");
  ASSERT_TRUE(plan.has_value()) << plan.error()[0].to_string();
  const auto& step = std::get<HttpStep>(plan->scenarios[0].steps[0]);
  EXPECT_EQ(step.body, "[1]");
  ASSERT_EQ(step.headers.size(), 1u);
  EXPECT_EQ(step.headers[0].name, "content-type");
  EXPECT_EQ(step.headers[0].value, "application/vnd.x+json");
}

}  // namespace
}  // namespace surge::plan
