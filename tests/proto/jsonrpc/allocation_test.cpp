// The codec runs per request in a worker, where nothing may allocate once warmed up (STYLE.md). This binary
// replaces global operator new with a counting one; each test warms its buffers once, then counts a round.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "proto/jsonrpc/mcp.h"
#include "proto/jsonrpc/message.h"
#include "proto/jsonrpc/message_writer.h"
#include "proto/jsonrpc/sse_reader.h"

#include "../../support/counting_new.h"

namespace surge::proto::jsonrpc {
namespace {

// One MCP exchange as a client does it: write requests, read a response from an SSE stream byte by byte,
// and read the fields a session acts on. Returns a checksum so nothing is optimised away.
size_t one_round(std::string& out, SseReader& reader, std::vector<std::string_view>& batch) {
  out.clear();
  mcp::append_initialize(out, 1, "surge", "0.1.0");
  mcp::append_list(out, 2, mcp::Listing::kTools, "cursor-2");
  mcp::append_tool_call(out, 3, "echo", R"({"message":"hi"})");
  size_t sum = out.size();
  const std::string_view stream =
      "id: 1\r\ndata:\r\n\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":"
      "{\"content\":[{\"type\":\"text\",\"text\":\"Echo: "
      "hi\"}],\"isError\":false,\"nextCursor\":\"n\"}}\r\n\r\n";
  reader.reset();
  for (char c : stream) {
    (void)reader.feed(std::string_view(&c, 1), [&](const SseEvent& event) {
      auto message = parse_message(event.data);
      if (!message) return;
      sum += mcp::first_text(message->result).size() + mcp::next_cursor(message->result).size();
      sum += mcp::tool_result_is_error(message->result) ? 1 : 0;
    });
  }
  if (split_batch(R"([{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":2,"result":{}}])", batch))
    sum += batch.size();
  return sum;
}

TEST(JsonRpcAllocation, AWarmedUpClientRoundAllocatesNothing) {
  std::string out;
  SseReader reader;
  std::vector<std::string_view> batch;
  size_t first = one_round(out, reader, batch);
  size_t before = allocations;
  size_t second = one_round(out, reader, batch);
  EXPECT_EQ(allocations - before, 0u);
  EXPECT_EQ(first, second);
  EXPECT_EQ(second, out.size() + 8 + 1 + 0 + 2);
}

}  // namespace
}  // namespace surge::proto::jsonrpc
