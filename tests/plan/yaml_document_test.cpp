// Regression tests for the plan loader on YAML streams that made yaml-cpp 0.7's LoadAll loop forever (found
// by tests/fuzz/fuzz_plan; the inputs are also in tests/fuzz/corpus/plan/): each is one positioned error.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

TEST(LoadPlan, RejectsALoneCommaInsteadOfLoopingForever) {
  EXPECT_EQ(diagnostics_of(",\n"), Lines{"p.yaml:1:1: invalid YAML: unexpected token"});
}

TEST(LoadPlan, RejectsTheFuzzedPlanThatHungTheLoader) {
  std::ifstream in(std::string(SURGE_SOURCE_DIR) + "/tests/fuzz/corpus/plan/hang_loadall_stray_token.yaml",
                   std::ios::binary);
  ASSERT_TRUE(in) << "seed corpus file missing";
  const std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(diagnostics_of(yaml), Lines{"p.yaml:2:7: invalid YAML: unexpected token"});
}

TEST(LoadPlan, StillFindsASecondDocumentAfterAValidOne) {
  EXPECT_EQ(diagnostics_of("name: a\n---\n,\n"),
            Lines{"p.yaml:3:1: plan has more than one YAML document; expected one"});
}

}  // namespace
}  // namespace surge::plan
