// Routing of the CodePal API: each /v1/ path to its by_path route, the methods each takes, and the refusals.
#include "serve/api_routes.h"

#include <gtest/gtest.h>

namespace surge::serve {
namespace {

ResponsePlan plan_for(std::string_view target, std::string_view method) {
  return plan_response(RequestLine{method, target, 1, true}, 0);
}

TEST(ApiRoutes, SendsEachPathToItsRouteForTheConnectionToAnswer) {
  struct Case {
    std::string_view method, target;
    Route route;
  };
  for (const Case& c :
       {Case{"POST", "/v1/login", Route::kApiLogin}, Case{"GET", "/v1/whoami", Route::kApiWhoami},
        Case{"POST", "/v1/complete", Route::kApiComplete},
        Case{"POST", "/v1/agents/handoff", Route::kApiHandoff},
        Case{"POST", "/v1/optimize", Route::kApiOptimize},
        Case{"GET", "/v1/repos/r1/files", Route::kApiRepos},
        Case{"GET", "/v1/repos/r1/search?q=main", Route::kApiRepos},
        Case{"POST", "/v1/repos/r1/index", Route::kApiRepos}}) {
    ResponsePlan plan = plan_for(c.target, c.method);
    EXPECT_EQ(plan.route, c.route) << c.target;
    EXPECT_EQ(plan.action, Action::kApi) << c.target;
    EXPECT_EQ(plan.source, BodySource::kOwned) << c.target;
    EXPECT_EQ(plan.content_type, "application/json") << c.target;
    EXPECT_EQ(plan.cache, CacheOutcome::kNone) << "decided only when answered: " << c.target;
  }
}

TEST(ApiRoutes, AnswersAWrongMethodWith405UnderTheRoute) {
  ResponsePlan plan = plan_for("/v1/login", "GET");
  EXPECT_EQ(plan.status, 405);
  EXPECT_EQ(plan.route, Route::kApiLogin);
  EXPECT_EQ(plan.action, Action::kNone);
  EXPECT_EQ(plan.text, R"({"error":"method not allowed"})");
  EXPECT_EQ(plan_for("/v1/whoami", "POST").status, 405);
  EXPECT_EQ(plan_for("/v1/complete", "GET").status, 405);
  EXPECT_EQ(plan_for("/v1/repos/r1/index", "GET").status, 405);
  EXPECT_EQ(plan_for("/v1/repos/r1/files", "POST").status, 405);
}

TEST(ApiRoutes, TakesHeadWhereItTakesGet) {
  ResponsePlan plan = plan_for("/v1/repos/r1/files", "HEAD");
  EXPECT_EQ(plan.action, Action::kApi);
  EXPECT_TRUE(plan.head_only);
  EXPECT_EQ(plan_for("/v1/whoami", "HEAD").action, Action::kApi);
}

TEST(ApiRoutes, AnswersAnUnknownRepositoryRouteWith404UnderRepos) {
  for (std::string_view target : {"/v1/repos/r1/branches", "/v1/repos/r1", "/v1/repos//files",
                                  "/v1/repos/a%20b/files", "/v1/repos/r1/files/x"}) {
    ResponsePlan plan = plan_for(target, "GET");
    EXPECT_EQ(plan.status, 404) << target;
    EXPECT_EQ(plan.route, Route::kApiRepos) << target;
  }
  std::string long_id(kMaxRepoIdBytes + 1, 'a');
  EXPECT_EQ(plan_for("/v1/repos/" + long_id + "/files", "GET").status, 404);
  EXPECT_EQ(plan_for("/v1/repos/" + long_id.substr(1) + "/files", "GET").status, 200);
}

TEST(ApiRoutes, AnswersOtherV1PathsWith404UnderOther) {
  ResponsePlan plan = plan_for("/v1/nothing", "GET");
  EXPECT_EQ(plan.status, 404);
  EXPECT_EQ(plan.route, Route::kOther);
  EXPECT_EQ(plan.text, R"({"error":"not found"})");
  EXPECT_EQ(plan_for("/v1/login/", "POST").route, Route::kOther);
}

TEST(ApiRoutes, ParsesTheRepositoryIdAndAction) {
  RepoPath repo;
  ASSERT_TRUE(parse_repo_path("/v1/repos/Core-lib_2.x/search", repo));
  EXPECT_EQ(repo.id, "Core-lib_2.x");
  EXPECT_EQ(repo.action, RepoAction::kSearch);
  ASSERT_TRUE(parse_repo_path("/v1/repos/7/index", repo));
  EXPECT_EQ(repo.action, RepoAction::kIndex);
  EXPECT_FALSE(parse_repo_path("/v1/repos/7/search?q=x", repo)) << "the query is not part of the path";
}

TEST(ApiRoutes, GetsTheBaseDelayLikeTheOtherCountedRoutes) {
  EXPECT_EQ(plan_response(RequestLine{"POST", "/v1/complete", 1, true}, 3'000'000).delay_ns, 3'000'000);
}

TEST(ApiRoutes, NamesTheStatsKeys) {
  EXPECT_EQ(route_name(Route::kApiLogin), "/v1/login");
  EXPECT_EQ(route_name(Route::kApiWhoami), "/v1/whoami");
  EXPECT_EQ(route_name(Route::kApiComplete), "/v1/complete");
  EXPECT_EQ(route_name(Route::kApiHandoff), "/v1/agents/handoff");
  EXPECT_EQ(route_name(Route::kApiOptimize), "/v1/optimize");
  EXPECT_EQ(route_name(Route::kApiRepos), "/v1/repos");
  EXPECT_EQ(kCountedRoutes, static_cast<size_t>(Route::kControl));
}

}  // namespace
}  // namespace surge::serve
