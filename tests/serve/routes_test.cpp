// Routing: request line to ResponsePlan, without sockets.
#include "serve/routes.h"

#include <gtest/gtest.h>

namespace surge::serve {
namespace {

ResponsePlan plan_for(std::string_view target, std::string_view method = "GET", int minor = 1,
                      bool keep = true) {
  return plan_response(RequestLine{method, target, minor, keep}, 0);
}

TEST(ServeRoutes, DelayTakesMillisecondsAndAddsTheBaseDelay) {
  ResponsePlan plan = plan_response(RequestLine{"GET", "/delay/250", 1, true}, 5'000'000);
  EXPECT_EQ(plan.route, Route::kDelay);
  EXPECT_EQ(plan.delay_ns, 255'000'000);
  EXPECT_EQ(plan.delay_ms, 250u);
  EXPECT_EQ(plan.body_bytes, 14u);  // "delayed 250ms\n"
}

TEST(ServeRoutes, DelayOutsideItsRangeIsABadRequest) {
  EXPECT_EQ(plan_for("/delay/600000").status, 200);
  EXPECT_EQ(plan_for("/delay/600001").status, 400);
  EXPECT_EQ(plan_for("/delay/-1").status, 400);
  EXPECT_EQ(plan_for("/delay/1x").status, 400);
  EXPECT_EQ(plan_for("/delay/1x").route, Route::kDelay);
}

TEST(ServeRoutes, StatusForbidsABodyOnlyFor204And304) {
  EXPECT_EQ(plan_for("/status/204").framing, Framing::kNone);
  EXPECT_EQ(plan_for("/status/304").framing, Framing::kNone);
  EXPECT_EQ(plan_for("/status/205").framing, Framing::kLength);
  EXPECT_EQ(plan_for("/status/599").status, 599);
  EXPECT_EQ(plan_for("/status/600").status, 400);
  EXPECT_EQ(plan_for("/status/199").status, 400);
}

TEST(ServeRoutes, BytesPicksTheFramingFromTheQuery) {
  EXPECT_EQ(plan_for("/bytes/10").framing, Framing::kLength);
  EXPECT_EQ(plan_for("/bytes/10?encoding=chunked").framing, Framing::kChunked);
  EXPECT_EQ(plan_for("/bytes/10?a=b&encoding=close").framing, Framing::kClose);
  EXPECT_TRUE(plan_for("/bytes/10?encoding=close").close_after);
  EXPECT_EQ(plan_for("/bytes/10?encoding=gzip").status, 400);
}

TEST(ServeRoutes, BytesAllowsUpToOneGibibyte) {
  EXPECT_EQ(plan_for("/bytes/1073741824").body_bytes, 1073741824u);
  EXPECT_EQ(plan_for("/bytes/1073741825").status, 400);
}

TEST(ServeRoutes, ControlPathsAreNotCountedAndNotDelayed) {
  ResponsePlan stats = plan_response(RequestLine{"GET", "/__surge/stats", 1, true}, 7'000'000);
  EXPECT_EQ(stats.route, Route::kControl);
  EXPECT_EQ(stats.action, Action::kStats);
  EXPECT_EQ(stats.delay_ns, 0);
  EXPECT_EQ(plan_for("/__surge/stats", "POST").status, 405);
}

TEST(ServeRoutes, QueryDoesNotChangeThePath) {
  EXPECT_EQ(plan_for("/?x=1").route, Route::kRoot);
  EXPECT_EQ(plan_for("/json?pretty").route, Route::kJson);
  EXPECT_EQ(plan_for("/jsonx").route, Route::kOther);
}

TEST(ServeRoutes, Http10KeepAliveIsSaidAndOtherwiseCloses) {
  EXPECT_TRUE(plan_for("/", "GET", 0, true).keep_alive_10);
  EXPECT_FALSE(plan_for("/", "GET", 0, true).close_after);
  EXPECT_TRUE(plan_for("/", "GET", 0, false).close_after);
  EXPECT_FALSE(plan_for("/", "GET", 1, true).keep_alive_10);
}

TEST(ServeRoutes, HeadSendsNoBody) {
  EXPECT_TRUE(plan_for("/", "HEAD").head_only);
  EXPECT_FALSE(plan_for("/", "GET").head_only);
}

TEST(ServeRoutes, NamesTheStatsKeys) {
  EXPECT_EQ(route_name(Route::kRoot), "/");
  EXPECT_EQ(route_name(Route::kBytes), "/bytes");
  EXPECT_EQ(route_name(Route::kOther), "other");
}

}  // namespace
}  // namespace surge::serve
