// MCP client messages byte for byte (they are what a load test sends), and the readers of the result
// fields a session acts on: cursors, isError, the negotiated version, the first text.
#include "proto/jsonrpc/mcp.h"

#include <gtest/gtest.h>

#include <string>

#include "proto/jsonrpc/message.h"

namespace surge::proto::jsonrpc::mcp {
namespace {

TEST(Mcp, WritesInitializeWithOurVersionAndTheClientInfo) {
  std::string out;
  append_initialize(out, 1, "surge", "0.1.0");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                 R"("capabilities":{},"clientInfo":{"name":"surge","version":"0.1.0"}}})");
}

TEST(Mcp, EscapesTheClientName) {
  std::string out;
  append_initialize(out, 2, "a\"b", "1");
  EXPECT_NE(out.find(R"("clientInfo":{"name":"a\"b","version":"1"})"), std::string::npos) << out;
}

TEST(Mcp, WritesTheInitializedNotificationAndPing) {
  std::string out;
  append_initialized(out);
  append_ping(out, 3);
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                 R"({"jsonrpc":"2.0","id":3,"method":"ping"})");
}

TEST(Mcp, WritesAFirstPageListWithEmptyParams) {
  std::string out;
  append_list(out, 4, Listing::kResources, "");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":4,"method":"resources/list","params":{}})");
}

TEST(Mcp, WritesALaterPageWithTheCursorAsReceived) {
  std::string out;
  append_list(out, 5, Listing::kPrompts, R"(c\"2)");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":5,"method":"prompts/list","params":{"cursor":"c\"2"}})");
}

TEST(Mcp, WritesAToolCallWithItsArguments) {
  std::string out;
  append_tool_call(out, 6, "get-sum", R"({"a":2,"b":3})");
  EXPECT_EQ(
      out,
      R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"get-sum","arguments":{"a":2,"b":3}}})");
}

TEST(Mcp, WritesEmptyArgumentsAsAnEmptyObject) {
  std::string out;
  append_tool_call(out, 7, "ping-tool", "");
  EXPECT_EQ(out,
            R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ping-tool","arguments":{}}})");
}

TEST(Mcp, WritesAResourceRead) {
  std::string out;
  append_resource_read(out, 8, "surge://docs/1");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":8,"method":"resources/read","params":{"uri":"surge://docs/1"}})");
}

TEST(Mcp, WritesMessagesThatParseAsRequests) {
  std::string out;
  append_tool_call(out, 9, "echo", R"({"message":"hi"})");
  auto message = parse_message(out);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->kind, MessageKind::kRequest);
  EXPECT_EQ(message->method, "tools/call");
  EXPECT_EQ(message->params, R"({"name":"echo","arguments":{"message":"hi"}})");
}

TEST(Mcp, NamesTheListMethodsAndTheirArrays) {
  EXPECT_EQ(list_method(Listing::kTools), "tools/list");
  EXPECT_EQ(list_member(Listing::kTools), "tools");
  EXPECT_EQ(list_member(Listing::kResources), "resources");
  EXPECT_EQ(list_member(Listing::kPrompts), "prompts");
}

TEST(Mcp, ReadsTheNextCursorOrNothingOnTheLastPage) {
  EXPECT_EQ(next_cursor(R"({"resources":[],"nextCursor":"2"})"), "2");
  EXPECT_EQ(next_cursor(R"({"resources":[]})"), "");
  EXPECT_EQ(next_cursor(R"({"resources":[],"nextCursor":null})"), "");
  EXPECT_EQ(next_cursor("[1]"), "");
}

TEST(Mcp, SeesIsErrorOnlyWhenItIsTrue) {
  EXPECT_TRUE(tool_result_is_error(R"({"content":[],"isError":true})"));
  EXPECT_FALSE(tool_result_is_error(R"({"content":[],"isError":false})"));
  EXPECT_FALSE(tool_result_is_error(R"({"content":[],"isError":"true"})"));
  EXPECT_FALSE(tool_result_is_error(R"({"content":[]})"));
}

TEST(Mcp, ReadsTheNegotiatedVersion) {
  EXPECT_EQ(negotiated_version(R"({"protocolVersion":"2025-03-26","capabilities":{}})"), "2025-03-26");
  EXPECT_EQ(negotiated_version(R"({"capabilities":{}})"), "");
}

TEST(Mcp, ReadsTheFirstTextContentSkippingOtherTypes) {
  EXPECT_EQ(first_text(R"({"content":[{"type":"image","data":"x"},{"type":"text","text":"Echo: \"hi\""}]})"),
            R"(Echo: \"hi\")");
  EXPECT_EQ(first_text(R"({"content":[{"type":"image","data":"x"}]})"), "");
  EXPECT_EQ(first_text(R"({"tools":[]})"), "");
}

TEST(Mcp, AcceptsTheThreeKnownRevisionsOnly) {
  EXPECT_TRUE(is_supported_version("2025-06-18"));
  EXPECT_TRUE(is_supported_version("2025-03-26"));
  EXPECT_TRUE(is_supported_version("2025-11-25"));
  EXPECT_FALSE(is_supported_version("2024-11-05"));
  EXPECT_FALSE(is_supported_version(""));
}

TEST(Mcp, TellsAnEventStreamContentTypeWhateverItsCaseAndParameters) {
  EXPECT_TRUE(is_event_stream("text/event-stream"));
  EXPECT_TRUE(is_event_stream("Text/Event-Stream; charset=utf-8"));
  EXPECT_FALSE(is_event_stream("application/json"));
  EXPECT_FALSE(is_event_stream("text/event-streams"));
}

}  // namespace
}  // namespace surge::proto::jsonrpc::mcp
