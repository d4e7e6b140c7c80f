// /mcp without sockets: what McpServer answers (status, extra headers, body bytes, delay) to each kind of
// Streamable HTTP request, and what it counts.
#include "serve/mcp_server.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace surge::serve {
namespace {

struct Answered {
  ResponsePlan plan;
  std::string headers;
  std::string body;
};

// Keeps the context after some earlier owned bytes, appends the body, and answers, as the connection does.
Answered answer(McpServer& server, std::string_view method, std::string_view session, std::string_view body,
                std::string_view version = "") {
  ResponsePlan plan = plan_response(RequestLine{method, "/mcp", 1, true}, 0);
  EXPECT_EQ(plan.action, Action::kMcp);
  std::string owned = "earlier";
  size_t context = save_mcp_context(method, session, version, owned);
  owned.append(body);
  size_t header_bytes = server.answer(plan, owned, 7, context);
  EXPECT_EQ(owned.substr(0, 7), "earlier") << "bytes before the offset are not touched";
  EXPECT_EQ(plan.body_bytes, owned.size() - 7 - header_bytes);
  return {plan, owned.substr(7, header_bytes), owned.substr(7 + header_bytes)};
}

constexpr std::string_view kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26",)"
    R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

class McpServerTest : public ::testing::Test {
 protected:
  // Opens a session and returns its id.
  std::string open_session() {
    Answered opened = answer(server_, "POST", "", kInitialize);
    std::smatch match;
    static const std::regex kHeader("^Mcp-Session-Id: ([0-9a-f]{24})\r\n$");
    EXPECT_TRUE(std::regex_match(opened.headers, match, kHeader)) << opened.headers;
    return match.size() > 1 ? match[1].str() : "";
  }
  Answered call(std::string_view body) { return answer(server_, "POST", session_, body); }

  McpCounters counters_{};
  McpServer server_{false, &counters_, 42};
  std::string session_ = open_session();
};

TEST_F(McpServerTest, InitializeOpensASessionAndEchoesASupportedVersion) {
  Answered opened = answer(server_, "POST", "", kInitialize);
  EXPECT_EQ(opened.plan.status, 200);
  EXPECT_EQ(opened.plan.content_type, "application/json");
  EXPECT_EQ(opened.body,
            R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-03-26","capabilities":{"tools":{},)"
            R"("resources":{},"prompts":{}},"serverInfo":{"name":"surge serve","version":"0.1.0"}}})");
  EXPECT_NE(opened.headers, "Mcp-Session-Id: " + session_ + "\r\n") << "each initialize opens a new session";
  EXPECT_EQ(counters_.sessions_opened, 2u);
  EXPECT_EQ(server_.sessions().open_count(), 2u);
}

TEST_F(McpServerTest, InitializeWithAnUnknownVersionGetsOurs) {
  Answered opened =
      answer(server_, "POST", "",
             R"({"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"1999"}})");
  EXPECT_NE(opened.body.find(R"("id":"a","result":{"protocolVersion":"2025-06-18")"), std::string::npos)
      << opened.body;
}

TEST_F(McpServerTest, RefusesARequestWithoutSessionWith400) {
  Answered refused = answer(server_, "POST", "", R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(refused.plan.status, 400);
  EXPECT_EQ(
      refused.body,
      R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: no Mcp-Session-Id header"}})");
  EXPECT_EQ(counters_.missing_session, 1u);
  EXPECT_EQ(counters_.by_method[static_cast<size_t>(McpMethod::kPing)], 0u)
      << "refused calls are not counted";
}

TEST_F(McpServerTest, RefusesAnUnknownSessionWith404) {
  std::string other = session_;
  other[0] = other[0] == 'a' ? 'b' : 'a';
  Answered refused = answer(server_, "POST", other, R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(refused.plan.status, 404);
  EXPECT_EQ(refused.body,
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}})");
  EXPECT_EQ(counters_.unknown_session, 1u);
}

TEST_F(McpServerTest, RefusesAnUnsupportedProtocolVersionHeader) {
  Answered refused =
      answer(server_, "POST", session_, R"({"jsonrpc":"2.0","id":2,"method":"ping"})", "2024-11-05");
  EXPECT_EQ(refused.plan.status, 400);
  EXPECT_NE(refused.body.find("unsupported MCP-Protocol-Version"), std::string::npos);
  EXPECT_EQ(answer(server_, "POST", session_, R"({"jsonrpc":"2.0","id":2,"method":"ping"})", "2025-06-18")
                .plan.status,
            200);
}

TEST_F(McpServerTest, AcceptsANotificationWith202AndNoBody) {
  Answered accepted = call(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(accepted.plan.status, 202);
  EXPECT_EQ(accepted.plan.content_type, "");
  EXPECT_EQ(accepted.body, "");
  EXPECT_EQ(counters_.by_method[static_cast<size_t>(McpMethod::kInitialized)], 1u);
}

TEST_F(McpServerTest, AcceptsAClientsResponseWith202) {
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":9,"result":{}})").plan.status, 202);
}

TEST_F(McpServerTest, AnswersPingWithAnEmptyResult) {
  Answered pong = call(R"({"jsonrpc":"2.0","id":"p","method":"ping"})");
  EXPECT_EQ(pong.plan.status, 200);
  EXPECT_EQ(pong.body, R"({"jsonrpc":"2.0","id":"p","result":{}})");
}

TEST_F(McpServerTest, ListsTheThreeTools) {
  Answered listed = call(R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})");
  std::regex name(R"re("name":"([a-z]+)","description")re");
  std::string names;
  for (auto it = std::sregex_iterator(listed.body.begin(), listed.body.end(), name);
       it != std::sregex_iterator(); ++it) {
    names += (*it)[1].str() + " ";
  }
  EXPECT_EQ(names, "echo sleep complete ");
}

TEST_F(McpServerTest, EchoesTheMessageAsSent) {
  Answered echoed = call(
      R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi \"you\""}}})");
  EXPECT_EQ(echoed.body,
            R"({"jsonrpc":"2.0","id":4,"result":{"content":[{"type":"text","text":"Echo: hi \"you\""}]}})");
  EXPECT_EQ(counters_.by_tool[static_cast<size_t>(McpTool::kEcho)], 1u);
  EXPECT_EQ(counters_.by_method[static_cast<size_t>(McpMethod::kToolsCall)], 1u);
}

TEST_F(McpServerTest, SleepDelaysTheResponseByItsMilliseconds) {
  Answered slept = call(
      R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":250}}})");
  EXPECT_EQ(slept.plan.delay_ns, 250'000'000);
  EXPECT_EQ(slept.body,
            R"({"jsonrpc":"2.0","id":5,"result":{"content":[{"type":"text","text":"Slept 250 ms"}]}})");
}

TEST_F(McpServerTest, SleepOutOfRangeIsAToolError) {
  Answered refused = call(
      R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":600001}}})");
  EXPECT_EQ(refused.plan.delay_ns, 0);
  EXPECT_EQ(
      refused.body,
      R"({"jsonrpc":"2.0","id":6,"result":{"content":[{"type":"text","text":"sleep needs an integer \"ms\" )"
      R"(from 0 to 600000"}],"isError":true}})");
}

TEST_F(McpServerTest, CompletesAPromptTheSameWayEveryTime) {
  constexpr std::string_view kCall =
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"complete","arguments":{"prompt":"def add(a, b):"}}})";
  Answered completed = call(kCall);
  EXPECT_EQ(completed.body, R"({"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":)"
                            R"("def add(a, b): each in else return value call result list"}]}})");
  EXPECT_EQ(call(kCall).body, completed.body);
}

TEST_F(McpServerTest, AnswersAnUnknownToolWithIsError) {
  Answered unknown = call(R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"nope"}})");
  EXPECT_EQ(unknown.plan.status, 200);
  EXPECT_EQ(
      unknown.body,
      R"({"jsonrpc":"2.0","id":8,"result":{"content":[{"type":"text","text":"Unknown tool: nope"}],"isError":true}})");
  EXPECT_EQ(counters_.by_tool[static_cast<size_t>(McpTool::kUnknown)], 1u);
}

TEST_F(McpServerTest, AnswersAToolCallWithoutNameWithInvalidParams) {
  EXPECT_EQ(
      call(R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{}})").body,
      R"({"jsonrpc":"2.0","id":8,"error":{"code":-32602,"message":"tools/call needs a string \"name\""}})");
}

TEST_F(McpServerTest, AnswersAnUnknownMethodWithMethodNotFound) {
  Answered unknown = call(R"({"jsonrpc":"2.0","id":9,"method":"sampling/createMessage"})");
  EXPECT_EQ(unknown.plan.status, 200);
  EXPECT_EQ(unknown.body, R"({"jsonrpc":"2.0","id":9,"error":{"code":-32601,"message":"Method not found"}})");
  EXPECT_EQ(counters_.by_method[static_cast<size_t>(McpMethod::kOther)], 1u);
}

TEST_F(McpServerTest, AnswersBadJsonWithParseErrorAnd400) {
  Answered bad = call(R"({"jsonrpc":"2.0",)");
  EXPECT_EQ(bad.plan.status, 400);
  EXPECT_EQ(bad.body, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})");
}

TEST_F(McpServerTest, AnswersJsonThatIsNoMessageWithInvalidRequestAnd400) {
  Answered bad = call(R"({"jsonrpc":"2.0","id":1})");
  EXPECT_EQ(bad.plan.status, 400);
  EXPECT_EQ(bad.body, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}})");
}

TEST_F(McpServerTest, PaginatesResourcesTwoAtATime) {
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"resources/list"})").body,
            R"({"jsonrpc":"2.0","id":1,"result":{"resources":[)"
            R"({"uri":"surge://docs/1","name":"doc-1","mimeType":"text/markdown"},)"
            R"({"uri":"surge://docs/2","name":"doc-2","mimeType":"text/markdown"}],"nextCursor":"2"}})");
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":2,"method":"resources/list","params":{"cursor":"2"}})").body,
            R"({"jsonrpc":"2.0","id":2,"result":{"resources":[)"
            R"({"uri":"surge://docs/3","name":"doc-3","mimeType":"text/markdown"},)"
            R"({"uri":"surge://docs/4","name":"doc-4","mimeType":"text/markdown"}],"nextCursor":"4"}})");
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":3,"method":"resources/list","params":{"cursor":"4"}})").body,
            R"({"jsonrpc":"2.0","id":3,"result":{"resources":[)"
            R"({"uri":"surge://docs/5","name":"doc-5","mimeType":"text/markdown"}]}})");
}

TEST_F(McpServerTest, RefusesAnUnknownCursor) {
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"resources/list","params":{"cursor":"9"}})").body,
            R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"unknown cursor"}})");
}

TEST_F(McpServerTest, ReadsAResourceAndRefusesAnUnknownOne) {
  EXPECT_EQ(
      call(R"({"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"surge://docs/3"}})").body,
      R"({"jsonrpc":"2.0","id":1,"result":{"contents":[{"uri":"surge://docs/3","mimeType":"text/markdown",)"
      R"("text":"# Doc 3\n\nA surge serve test document.\n"}]}})");
  EXPECT_EQ(
      call(R"({"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"surge://docs/6"}})").body,
      R"({"jsonrpc":"2.0","id":2,"error":{"code":-32002,"message":"Resource not found"}})");
}

TEST_F(McpServerTest, ListsOnePrompt) {
  EXPECT_EQ(
      call(R"({"jsonrpc":"2.0","id":1,"method":"prompts/list"})").body,
      R"({"jsonrpc":"2.0","id":1,"result":{"prompts":[{"name":"review","description":"Review a code change",)"
      R"("arguments":[{"name":"diff","description":"The change to review","required":true}]}]}})");
}

TEST_F(McpServerTest, AnswersABatchWithAnArrayOfItsResponses) {
  Answered batch = call(
      R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},)"
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":5}}},)"
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":9}}}])");
  EXPECT_EQ(batch.plan.status, 200);
  EXPECT_EQ(batch.plan.delay_ns, 9'000'000) << "the longest sleep of the batch";
  EXPECT_EQ(batch.body,
            R"([{"jsonrpc":"2.0","id":1,"result":{}},)"
            R"({"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"Slept 5 ms"}]}},)"
            R"({"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"Slept 9 ms"}]}}])");
  EXPECT_EQ(counters_.by_method[static_cast<size_t>(McpMethod::kOther)], 1u);
  EXPECT_EQ(counters_.by_tool[static_cast<size_t>(McpTool::kSleep)], 2u);
}

TEST_F(McpServerTest, AcceptsABatchOfNotificationsWith202) {
  Answered batch = call(R"([{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}])");
  EXPECT_EQ(batch.plan.status, 202);
  EXPECT_EQ(batch.body, "");
}

TEST_F(McpServerTest, AnswersBadBatchElementsAndABatchedInitializeWithErrors) {
  EXPECT_EQ(call(R"([1,{"jsonrpc":"2.0","id":4,"method":"initialize"}])").body,
            R"([{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}},)"
            R"({"jsonrpc":"2.0","id":4,"error":{"code":-32600,"message":"initialize must be sent alone"}}])");
  EXPECT_EQ(call("[]").plan.status, 400);
}

TEST_F(McpServerTest, DeleteEndsTheSessionThenItIsUnknown) {
  Answered ended = answer(server_, "DELETE", session_, "");
  EXPECT_EQ(ended.plan.status, 200);
  EXPECT_EQ(ended.body, "");
  EXPECT_EQ(counters_.sessions_closed, 1u);
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"ping"})").plan.status, 404);
  EXPECT_EQ(answer(server_, "DELETE", session_, "").plan.status, 404);
  EXPECT_EQ(answer(server_, "DELETE", "", "").plan.status, 400);
}

TEST_F(McpServerTest, RefusesGetAndOtherMethodsWith405) {
  for (std::string_view method : {"GET", "PUT", "HEAD"}) {
    Answered refused = answer(server_, method, session_, "");
    EXPECT_EQ(refused.plan.status, 405) << method;
    EXPECT_EQ(refused.headers, "Allow: POST, DELETE\r\n") << method;
  }
}

TEST(McpServerSse, WrapsEachResponseInOneMessageEvent) {
  McpServer server(true, nullptr, 7);
  Answered opened = answer(server, "POST", "", kInitialize);
  EXPECT_EQ(opened.plan.content_type, "text/event-stream");
  ASSERT_TRUE(opened.body.starts_with("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"));
  ASSERT_TRUE(opened.body.ends_with("}}\n\n"));
  std::string session = opened.headers.substr(16, McpSessions::kIdBytes);
  Answered batch =
      answer(server, "POST", session,
             R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}])");
  EXPECT_EQ(batch.body,
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n"
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}\n\n");
  Answered refused = answer(server, "POST", "", R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  EXPECT_EQ(refused.plan.content_type, "application/json") << "refusals are never streams";
}

TEST(McpSessions, EvictsTheOldestWhenEverySlotHasBeenUsed) {
  McpSessions sessions(1);
  std::string first;
  EXPECT_FALSE(sessions.open(first));
  EXPECT_TRUE(std::regex_match(first, std::regex("[0-9a-f]{16}00000000")));
  for (uint32_t i = 1; i < McpSessions::kCapacity; ++i) {
    std::string id;
    EXPECT_FALSE(sessions.open(id));
  }
  EXPECT_TRUE(sessions.is_open(first));
  std::string newest;
  EXPECT_TRUE(sessions.open(newest));
  EXPECT_FALSE(sessions.is_open(first));
  EXPECT_TRUE(sessions.is_open(newest));
  EXPECT_EQ(sessions.open_count(), McpSessions::kCapacity);
}

TEST(McpSessions, KnowsNoMalformedOrClosedId) {
  McpSessions sessions(2);
  std::string id;
  sessions.open(id);
  EXPECT_FALSE(sessions.is_open(id.substr(1)));
  EXPECT_FALSE(sessions.is_open(id + "0"));
  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(upper == id || !sessions.is_open(upper)) << "ids are lower-case hex";
  EXPECT_FALSE(sessions.is_open(id.substr(0, 16) + "ffffffff"));
  EXPECT_TRUE(sessions.close(id));
  EXPECT_FALSE(sessions.close(id));
  EXPECT_EQ(sessions.open_count(), 0u);
}

}  // namespace
}  // namespace surge::serve
