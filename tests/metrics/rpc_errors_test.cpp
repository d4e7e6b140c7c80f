// RpcErrorCounts: codes keep their own counts up to the table's size, the rest go to `other`, and a count
// survives the snapshot encoding and a merge exactly.
#include "metrics/rpc_errors.h"

#include <gtest/gtest.h>

namespace surge::metrics {
namespace {

TEST(RpcErrorCounts, CountsEachCodeAndPutsTheNinthDistinctCodeUnderOther) {
  RpcErrorCounts counts;
  for (int64_t code = 1; code <= 9; ++code) counts.record(-32000 - code);
  counts.record(-32001, 2);
  EXPECT_EQ(counts.codes[0], -32001);
  EXPECT_EQ(counts.counts[0], 3u);
  EXPECT_EQ(counts.counts[7], 1u);
  EXPECT_EQ(counts.other, 1u);
  EXPECT_EQ(counts.total(), 11u);
}

TEST(RpcErrorCounts, SurvivesEncodingAndAddsByCode) {
  RpcErrorCounts first;
  first.record(-32601, 3);
  first.record(0);
  std::string bytes;
  first.encode(bytes);
  std::string_view in = bytes;
  RpcErrorCounts decoded;
  ASSERT_TRUE(decoded.decode_into(in));
  EXPECT_TRUE(in.empty());
  RpcErrorCounts sum;
  sum.record(0, 5);
  sum.add(decoded);
  EXPECT_EQ(sum.codes[0], 0);
  EXPECT_EQ(sum.counts[0], 6u);
  EXPECT_EQ(sum.codes[1], -32601);
  EXPECT_EQ(sum.counts[1], 3u);
  std::string_view truncated = std::string_view(bytes).substr(0, 2);
  EXPECT_FALSE(decoded.decode_into(truncated));
}

}  // namespace
}  // namespace surge::metrics
