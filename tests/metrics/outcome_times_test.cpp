// OutcomeTimes, what recovery_s is measured from: the first success, the last error and the first success
// after it within one second, recorded in order and merged across workers.
#include "metrics/outcome_times.h"

#include <gtest/gtest.h>

namespace surge::metrics {
namespace {

OutcomeTimes recorded(std::initializer_list<std::pair<int64_t, bool>> outcomes) {
  OutcomeTimes times;
  for (auto [at, ok] : outcomes) ok ? times.record_ok(at) : times.record_error(at);
  return times;
}

TEST(OutcomeTimes, RecordsTheFirstSuccessTheLastErrorAndTheFirstSuccessAfterIt) {
  OutcomeTimes times = recorded({{10, true}, {20, false}, {25, false}, {30, true}, {40, true}});
  EXPECT_EQ(times.first_ok_ns, 10);
  EXPECT_EQ(times.last_error_ns, 25);
  EXPECT_EQ(times.first_ok_after_error_ns, 30);
}

TEST(OutcomeTimes, AnErrorAfterTheLastSuccessLeavesNoSuccessAfterIt) {
  OutcomeTimes times = recorded({{10, true}, {20, false}});
  EXPECT_EQ(times.first_ok_ns, 10);
  EXPECT_EQ(times.last_error_ns, 20);
  EXPECT_EQ(times.first_ok_after_error_ns, 0);
}

TEST(OutcomeTimes, WithoutErrorsTheFirstSuccessIsAlsoTheFirstAfterNone) {
  OutcomeTimes times = recorded({{10, true}, {12, true}});
  EXPECT_EQ(times.last_error_ns, 0);
  EXPECT_EQ(times.first_ok_after_error_ns, 10);
}

TEST(OutcomeTimes, MergeTakesTheLaterErrorAndTheFirstSuccessAfterIt) {
  OutcomeTimes a = recorded({{5, true}, {20, false}, {30, true}});
  const OutcomeTimes b = recorded({{8, true}, {25, false}, {40, true}});
  a.merge(b);
  EXPECT_EQ(a.first_ok_ns, 5);
  EXPECT_EQ(a.last_error_ns, 25);
  EXPECT_EQ(a.first_ok_after_error_ns, 30) << "a's success at 30 came after b's last error at 25";
}

TEST(OutcomeTimes, MergeIgnoresASuccessBeforeTheOtherWorkersLastError) {
  OutcomeTimes a = recorded({{20, false}, {22, true}});
  const OutcomeTimes b = recorded({{25, false}, {40, true}});
  a.merge(b);
  EXPECT_EQ(a.last_error_ns, 25);
  EXPECT_EQ(a.first_ok_after_error_ns, 40);
  OutcomeTimes c = b;  // the same the other way round
  c.merge(recorded({{20, false}, {22, true}}));
  EXPECT_EQ(c.last_error_ns, 25);
  EXPECT_EQ(c.first_ok_after_error_ns, 40);
}

TEST(OutcomeTimes, MergeWithoutErrorsKeepsTheEarliestSuccess) {
  OutcomeTimes a = recorded({{30, true}});
  a.merge(recorded({{12, true}}));
  EXPECT_EQ(a.first_ok_ns, 12);
  EXPECT_EQ(a.first_ok_after_error_ns, 12);
  a.merge(OutcomeTimes{});
  EXPECT_EQ(a.first_ok_ns, 12);
  a.reset();
  EXPECT_EQ(a.first_ok_ns, 0);
  EXPECT_EQ(a.last_error_ns, 0);
  EXPECT_EQ(a.first_ok_after_error_ns, 0);
}

TEST(OutcomeTimes, MergeOfAWorkerStillFailingLeavesNoRecovery) {
  OutcomeTimes a = recorded({{20, false}, {30, true}});
  a.merge(recorded({{35, false}}));
  EXPECT_EQ(a.last_error_ns, 35);
  EXPECT_EQ(a.first_ok_after_error_ns, 0);
}

}  // namespace
}  // namespace surge::metrics
