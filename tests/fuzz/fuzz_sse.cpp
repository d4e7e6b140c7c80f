// libFuzzer target for the event-stream reader and the JSON-RPC reader behind it (tests/fuzz/CMakeLists.txt).
// The input's first byte picks how the rest is split into reads; the oracle is that every split yields the
// same events, that no event has empty data, and that nothing crashes or leaks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/jsonrpc/mcp.h"
#include "proto/jsonrpc/message.h"
#include "proto/jsonrpc/sse_reader.h"

namespace {

using surge::proto::jsonrpc::SseEvent;
using surge::proto::jsonrpc::SseReader;

std::vector<std::string> read_in_steps(std::string_view stream, size_t step) {
  SseReader reader(4096);
  std::vector<std::string> events;
  std::vector<std::string_view> batch;
  for (size_t at = 0; at < stream.size(); at += step) {
    auto fed = reader.feed(stream.substr(at, step), [&](const SseEvent& event) {
      if (event.data.empty()) std::abort();
      events.emplace_back(event.data);
      auto message = surge::proto::jsonrpc::parse_message(event.data);
      if (message) (void)surge::proto::jsonrpc::mcp::next_cursor(message->result);
      (void)surge::proto::jsonrpc::split_batch(event.data, batch);
    });
    if (!fed) {
      events.push_back("error");
      break;
    }
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = 1 + data[0] % 16;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (read_in_steps(stream, step) != read_in_steps(stream, stream.size() + 1)) std::abort();
  return 0;
}
