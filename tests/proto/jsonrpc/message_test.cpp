// Reading JSON-RPC 2.0 messages and batches: each kind with its views, and each rule of the spec that a
// malformed message breaks, by its exact error text.
#include "proto/jsonrpc/message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace surge::proto::jsonrpc {
namespace {

std::string parse_error(std::string_view json) {
  auto message = parse_message(json);
  return message ? "no error" : message.error().message;
}

TEST(JsonRpcMessage, ReadsARequestWithAnIntegerId) {
  auto message = parse_message(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"c"}})");
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->kind, MessageKind::kRequest);
  EXPECT_EQ(message->id, "7");
  EXPECT_EQ(message->method, "tools/list");
  EXPECT_EQ(message->params, R"({"cursor":"c"})");
}

TEST(JsonRpcMessage, KeepsAStringIdWithItsQuotes) {
  auto message = parse_message(R"({"method":"ping","id":"ab-1","jsonrpc":"2.0"})");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, MessageKind::kRequest);
  EXPECT_EQ(message->id, R"("ab-1")");
  EXPECT_EQ(message->params, "");
}

TEST(JsonRpcMessage, ReadsANotificationAsOneWithoutId) {
  auto message = parse_message(R"({"jsonrpc":"2.0","method":"notifications/initialized","extra":[1]})");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, MessageKind::kNotification);
  EXPECT_EQ(message->id, "");
  EXPECT_EQ(message->method, "notifications/initialized");
}

TEST(JsonRpcMessage, ReadsAResultOfAnyType) {
  auto message = parse_message(R"({"result":{"tools":[{"name":"echo"}]},"jsonrpc":"2.0","id":3})");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, MessageKind::kResult);
  EXPECT_EQ(message->id, "3");
  EXPECT_EQ(message->result, R"({"tools":[{"name":"echo"}]})");
  auto scalar = parse_message(R"({"jsonrpc":"2.0","id":4,"result":3})");
  ASSERT_TRUE(scalar);
  EXPECT_EQ(scalar->result, "3");
}

TEST(JsonRpcMessage, ReadsAnErrorWithCodeMessageAndData) {
  auto message = parse_message(
      R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"Method \"q\" not found","data":[1]}})");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, MessageKind::kError);
  EXPECT_EQ(message->id, R"("x")");
  EXPECT_EQ(message->error_code, -32601);
  EXPECT_EQ(message->error_message, R"(Method \"q\" not found)");
  EXPECT_EQ(message->error_data, "[1]");
}

TEST(JsonRpcMessage, AcceptsANullIdInAnErrorOnly) {
  auto error =
      parse_message(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->id, "null");
  EXPECT_EQ(error->error_data, "");
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":null,"result":1})"),
            "JSON-RPC \"id\" must be an integer or a string");
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":null,"method":"m"})"),
            "JSON-RPC \"id\" must be an integer or a string");
}

TEST(JsonRpcMessage, RejectsInvalidJsonWithTheScannersMessage) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0",)"),
            "invalid JSON at byte 17: unexpected end, expected a string key");
}

TEST(JsonRpcMessage, RejectsAnythingButAnObject) {
  EXPECT_EQ(parse_error("[1]"), "JSON-RPC message is not an object");
  EXPECT_EQ(parse_error("\"x\""), "JSON-RPC message is not an object");
}

TEST(JsonRpcMessage, RejectsAMissingOrWrongVersion) {
  EXPECT_EQ(parse_error(R"({"id":1,"method":"m"})"), "JSON-RPC message without \"jsonrpc\": \"2.0\"");
  EXPECT_EQ(parse_error(R"({"jsonrpc":"1.0","id":1,"method":"m"})"),
            "JSON-RPC message without \"jsonrpc\": \"2.0\"");
  EXPECT_EQ(parse_error(R"({"jsonrpc":2.0,"id":1,"method":"m"})"),
            "JSON-RPC message without \"jsonrpc\": \"2.0\"");
}

TEST(JsonRpcMessage, RejectsAMethodThatIsNotAString) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"method":5})"), "JSON-RPC \"method\" is not a string");
}

TEST(JsonRpcMessage, RejectsFractionalAndStructuredIds) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1.5,"method":"m"})"),
            "JSON-RPC \"id\" must be an integer or a string");
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":[1],"result":1})"),
            "JSON-RPC \"id\" must be an integer or a string");
}

TEST(JsonRpcMessage, RejectsScalarParams) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"method":"m","params":"x"})"),
            "JSON-RPC \"params\" must be an object or an array");
}

TEST(JsonRpcMessage, RejectsAResponseWithBothResultAndError) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}})"),
            "JSON-RPC response has both \"result\" and \"error\"");
}

TEST(JsonRpcMessage, RejectsAResponseWithoutId) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","result":{}})"), "JSON-RPC response without \"id\"");
}

TEST(JsonRpcMessage, RejectsAnErrorWithoutIntegerCodeOrStringMessage) {
  const std::string expected = "JSON-RPC \"error\" needs an integer \"code\" and a string \"message\"";
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"error":{"message":"m"}})"), expected);
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}})"), expected);
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":2}})"), expected);
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1,"error":"boom"})"), expected);
}

TEST(JsonRpcMessage, RejectsAnObjectWithNoMethodResultOrError) {
  EXPECT_EQ(parse_error(R"({"jsonrpc":"2.0","id":1})"),
            "JSON-RPC message has no \"method\", \"result\" or \"error\"");
}

TEST(JsonRpcBatch, TellsABatchByItsFirstByte) {
  EXPECT_TRUE(is_batch(" \r\n[{}]"));
  EXPECT_FALSE(is_batch("{}"));
  EXPECT_FALSE(is_batch("   "));
}

TEST(JsonRpcBatch, SplitsIntoTheRawTextOfEachElement) {
  std::vector<std::string_view> elements;
  ASSERT_TRUE(split_batch(R"( [ {"jsonrpc":"2.0","id":1,"result":1} , {"b":[2]},3 ] )", elements));
  EXPECT_EQ(elements,
            (std::vector<std::string_view>{R"({"jsonrpc":"2.0","id":1,"result":1})", R"({"b":[2]})", "3"}));
}

TEST(JsonRpcBatch, ReusesTheCallersVector) {
  std::vector<std::string_view> elements;
  elements.reserve(8);
  const auto* storage = elements.data();
  ASSERT_TRUE(split_batch("[1,2,3]", elements));
  ASSERT_TRUE(split_batch("[4]", elements));
  EXPECT_EQ(elements, (std::vector<std::string_view>{"4"}));
  EXPECT_EQ(elements.data(), storage);
}

TEST(JsonRpcBatch, RejectsAnEmptyBatchANonArrayAndBadJson) {
  std::vector<std::string_view> elements;
  auto empty = split_batch("[ ]", elements);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "JSON-RPC batch is empty");
  auto object = split_batch("{}", elements);
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().message, "JSON-RPC batch is not an array");
  auto cut = split_batch("[1,", elements);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message, "invalid JSON at byte 3: unexpected end, expected a value");
  EXPECT_TRUE(elements.empty());
}

}  // namespace
}  // namespace surge::proto::jsonrpc
