// Writing JSON-RPC 2.0 messages: the exact bytes of each kind, escaping, batches, and that what we write
// reads back through parse_message with the same fields.
#include "proto/jsonrpc/message_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "proto/jsonrpc/message.h"

namespace surge::proto::jsonrpc {
namespace {

TEST(JsonRpcWriter, WritesARequestWithParams) {
  std::string out;
  append_request(out, "tools/call", R"({"name":"echo"})", 12);
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"echo"}})");
}

TEST(JsonRpcWriter, LeavesParamsOutWhenEmpty) {
  std::string out;
  append_request(out, "ping", "", -3);
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":-3,"method":"ping"})");
}

TEST(JsonRpcWriter, AppendsAfterWhatTheBufferHolds) {
  std::string out = "prefix:";
  append_notification(out, "notifications/initialized", "");
  EXPECT_EQ(out, R"(prefix:{"jsonrpc":"2.0","method":"notifications/initialized"})");
}

TEST(JsonRpcWriter, EscapesTheMethodName) {
  std::string out;
  append_notification(out, "a\"b", "[1]");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","method":"a\"b","params":[1]})");
}

TEST(JsonRpcWriter, EchoesTheRequestIdInAResult) {
  std::string out;
  append_result(out, R"("id-9")", R"({"ok":true})");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":"id-9","result":{"ok":true}})");
}

TEST(JsonRpcWriter, WritesAnErrorWithAnEscapedMessage) {
  std::string out;
  append_error(out, "null", kParseError, "Parse error: \"x\"\n");
  EXPECT_EQ(out, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: \"x\"\n"}})");
}

TEST(JsonRpcWriter, WritesABatchWithCommasBetweenMessages) {
  std::string out;
  BatchWriter batch(out);
  append_request(batch.next(), "a", "", 1);
  append_notification(batch.next(), "b", "");
  append_request(batch.next(), "c", "{}", 2);
  batch.finish();
  EXPECT_EQ(batch.count(), 3);
  EXPECT_EQ(out, R"([{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"b"},)"
                 R"({"jsonrpc":"2.0","id":2,"method":"c","params":{}}])");
}

TEST(JsonRpcWriter, WritesIdsAcrossTheWholeInt64Range) {
  std::string out;
  append_int(out, INT64_MIN);
  out += ' ';
  append_int(out, INT64_MAX);
  EXPECT_EQ(out, "-9223372036854775808 9223372036854775807");
}

TEST(JsonRpcWriter, WritesRequestsThatReadBackWithTheSameFields) {
  std::string out;
  append_request(out, "resources/read", R"({"uri":"surge://docs/1"})", 5);
  auto message = parse_message(out);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->kind, MessageKind::kRequest);
  EXPECT_EQ(message->id, "5");
  EXPECT_EQ(message->method, "resources/read");
  EXPECT_EQ(message->params, R"({"uri":"surge://docs/1"})");
}

TEST(JsonRpcWriter, WritesErrorsThatReadBackWithTheSameFields) {
  std::string out;
  append_error(out, "4", kMethodNotFound, "Method not found");
  auto message = parse_message(out);
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->kind, MessageKind::kError);
  EXPECT_EQ(message->error_code, -32601);
  EXPECT_EQ(message->error_message, "Method not found");
}

}  // namespace
}  // namespace surge::proto::jsonrpc
