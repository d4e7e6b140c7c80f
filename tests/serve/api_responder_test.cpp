// The API's answers without sockets: what the connection keeps of a request, and the body, status, framing
// and X-Cache the responder makes of it.
#include "serve/api_responder.h"

#include <gtest/gtest.h>

#include <string>

#include "serve/api_routes.h"

namespace surge::serve {
namespace {

struct Answered {
  ResponsePlan plan;
  std::string body;
};

// Routes `target` as the connection does, keeps the context after some earlier owned bytes, appends the
// body, and answers.
Answered answer(ApiResponder& responder, std::string_view method, std::string_view target,
                std::string_view body = "", std::string_view authorization = "", bool keep_alive = true) {
  ResponsePlan plan = plan_response(RequestLine{method, target, 1, keep_alive}, 0);
  EXPECT_EQ(plan.action, Action::kApi) << target;
  std::string owned = "earlier";
  size_t context = save_api_context(plan.route, target, authorization, owned);
  owned.append(body);
  responder.answer(plan, owned, 7, context);
  EXPECT_EQ(owned.substr(0, 7), "earlier") << "bytes before the offset are not touched";
  EXPECT_EQ(plan.body_bytes, owned.size() - 7);
  return {plan, owned.substr(7)};
}

TEST(ApiResponder, KeepsTheTargetForReposAndTheAuthorizationForWhoami) {
  std::string owned;
  EXPECT_EQ(save_api_context(Route::kApiRepos, "/v1/repos/a/search?q=x", "Bearer t", owned), 22u);
  EXPECT_EQ(save_api_context(Route::kApiWhoami, "/v1/whoami", "Bearer t", owned), 8u);
  EXPECT_EQ(save_api_context(Route::kApiLogin, "/v1/login", "Bearer t", owned), 0u);
  EXPECT_EQ(owned, "/v1/repos/a/search?q=xBearer t");
}

TEST(ApiResponder, LogsInWithATokenNamedAfterTheUser) {
  ApiResponder responder(0.8);
  Answered login = answer(responder, "POST", "/v1/login", R"({"user": "u42", "password": "x"})");
  EXPECT_EQ(login.plan.status, 200);
  EXPECT_EQ(login.body, R"({"token":"tok-u42","user":"u42"})");
  EXPECT_EQ(login.plan.cache, CacheOutcome::kNone);
}

TEST(ApiResponder, CopiesAnEscapedUserAsSent) {
  ApiResponder responder(0.8);
  EXPECT_EQ(answer(responder, "POST", "/v1/login", R"({"user":"a\"b"})").body,
            R"({"token":"tok-a\"b","user":"a\"b"})");
}

TEST(ApiResponder, RefusesALoginWithoutAUsableUser) {
  ApiResponder responder(0.8);
  std::string too_long = R"({"user":")" + std::string(kMaxApiUserBytes + 1, 'u') + R"("})";
  for (std::string_view body : {std::string_view(), std::string_view("{}"), std::string_view(R"({"user":7})"),
                                std::string_view(R"({"user":""})"), std::string_view(R"({"user":"a")"),
                                std::string_view("[]"), std::string_view(too_long)}) {
    Answered refused = answer(responder, "POST", "/v1/login", body);
    EXPECT_EQ(refused.plan.status, 400) << body;
    EXPECT_EQ(refused.body, R"({"error":"expected {\"user\": a non-empty string of at most 256 bytes}"})");
  }
  std::string longest = R"({"user":")" + std::string(kMaxApiUserBytes, 'u') + R"("})";
  EXPECT_EQ(answer(responder, "POST", "/v1/login", longest).plan.status, 200);
}

TEST(ApiResponder, EchoesTheAuthorizationValueEscapedAsJson) {
  ApiResponder responder(0.8);
  Answered whoami = answer(responder, "GET", "/v1/whoami", "", "Bearer tok-\"x\\");
  EXPECT_EQ(whoami.plan.status, 200);
  EXPECT_EQ(whoami.body, R"({"authorization":"Bearer tok-\"x\\"})");
}

TEST(ApiResponder, AnswersWhoamiWithoutAuthorizationWith401) {
  ApiResponder responder(0.8);
  Answered whoami = answer(responder, "GET", "/v1/whoami");
  EXPECT_EQ(whoami.plan.status, 401);
  EXPECT_EQ(whoami.body, R"({"error":"missing Authorization"})");
}

TEST(ApiResponder, AnswersTheContentRoutesWithTheirDocuments) {
  ApiResponder responder(1.0);
  EXPECT_EQ(answer(responder, "POST", "/v1/complete", R"({"prompt":"def add(a, b):"})").body,
            R"({"model":"codepal-small","completion":"    return a + b;\n","tokens":7})");
  EXPECT_EQ(answer(responder, "POST", "/v1/agents/handoff").body,
            R"({"status":"accepted","from":"planner","to":"coder","handoff_id":"h-1"})");
  EXPECT_EQ(answer(responder, "POST", "/v1/optimize", "{}").body,
            R"({"optimized":true,"platforms":["linux-x86_64","linux-arm64","darwin-arm64"],"speedup":1.8})");
  EXPECT_EQ(answer(responder, "GET", "/v1/repos/r7/files").body,
            R"({"repo":"r7","files":["README.md","src/main.cpp","src/util.cpp"]})");
  EXPECT_EQ(answer(responder, "GET", "/v1/repos/r7/search?page=2&q=say%20\"hi\"&q=other").body,
            R"({"repo":"r7","query":"say%20\"hi\"","matches":[{"path":"src/main.cpp","line":12},)"
            R"({"path":"src/util.cpp","line":3}]})");
  EXPECT_EQ(answer(responder, "POST", "/v1/repos/r7/index", R"({"full":true})").body,
            R"({"repo":"r7","indexing":true,"files":3})");
}

TEST(ApiResponder, RefusesAContentBodyThatIsNotAJsonObject) {
  ApiResponder responder(1.0);
  Answered refused = answer(responder, "POST", "/v1/optimize", "not json");
  EXPECT_EQ(refused.plan.status, 400);
  EXPECT_EQ(refused.body, R"({"error":"the body must be a JSON object"})");
  EXPECT_EQ(refused.plan.cache, CacheOutcome::kNone) << "only 200s take a place in the sequence";
}

TEST(ApiResponder, RefusesASearchWithoutQ) {
  ApiResponder responder(1.0);
  Answered refused = answer(responder, "GET", "/v1/repos/r7/search?query=x");
  EXPECT_EQ(refused.plan.status, 400);
  EXPECT_EQ(refused.body, R"({"error":"missing q"})");
}

TEST(ApiResponder, StreamsACompletionAsChunkedEvents) {
  ApiResponder responder(0.8);
  Answered stream = answer(responder, "POST", "/v1/complete", R"({"prompt":"x","stream":true})");
  EXPECT_EQ(stream.plan.status, 200);
  EXPECT_EQ(stream.plan.framing, Framing::kChunked);
  EXPECT_EQ(stream.plan.content_type, "text/event-stream");
  EXPECT_EQ(stream.body,
            "data: {\"delta\":\"    return\"}\n\ndata: {\"delta\":\" a + b;\"}\n\ndata: [DONE]\n\n");
  Answered closing = answer(responder, "POST", "/v1/complete", R"({"stream":true})", "", false);
  EXPECT_EQ(closing.plan.framing, Framing::kLength) << "the connection closes: a length works for 1.0 too";
  EXPECT_EQ(answer(responder, "POST", "/v1/complete", R"({"stream":false})").plan.framing, Framing::kLength);
}

TEST(ApiResponder, GivesTheContentRoutesOneSharedHitSequence) {
  ApiResponder responder(0.8);
  std::string outcomes;
  for (int i = 0; i < 5; ++i) {
    for (std::string_view target : {"/v1/complete", "/v1/repos/r1/index"}) {
      CacheOutcome cache = answer(responder, "POST", target).plan.cache;
      outcomes += cache == CacheOutcome::kHit ? 'H' : cache == CacheOutcome::kMiss ? 'M' : '-';
    }
    answer(responder, "POST", "/v1/login", R"({"user":"u"})");  // takes no place in the sequence
  }
  EXPECT_EQ(outcomes, "HHMHHHHMHH");
}

}  // namespace
}  // namespace surge::serve
