// ResponseParser::feed over whole responses as one read delivers them: the per-response parsing cost of the
// generator's hot path (a small fixed-length response, and a chunked one).
#include <benchmark/benchmark.h>

#include <string>

#include "proto/http/response_parser.h"

namespace {

using surge::proto::http::ResponseParser;

// What nginx sends for `return 200 "hello\n"` (the target of bench/compare.sh).
const std::string kSmall =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 23 Nov 2026 20:00:00 GMT\r\n"
    "Content-Type: application/octet-stream\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nhello\n";

// A chunked JSON body of 4 chunks (1 KiB in all) with a chunk extension and a trailer field.
std::string chunked_response() {
  std::string r = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) r += "100" + std::string(i == 0 ? ";ext=1" : "") + "\r\n" + std::string(256, 'x') + "\r\n";
  return r + "0\r\nX-Trailer: done\r\n\r\n";
}

void parse(benchmark::State& state, const std::string& response) {
  ResponseParser parser;
  for (auto _ : state) {
    parser.start(false);
    const size_t used = parser.feed(response.data(), response.size());
    if (used != response.size() || parser.status() != ResponseParser::Status::kComplete) {
      state.SkipWithError("response did not parse whole");
      break;
    }
    benchmark::DoNotOptimize(parser.body_bytes());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(response.size()));
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseSmallResponse(benchmark::State& state) { parse(state, kSmall); }
BENCHMARK(BM_ParseSmallResponse);

void BM_ParseChunkedResponse(benchmark::State& state) { parse(state, chunked_response()); }
BENCHMARK(BM_ParseChunkedResponse);

}  // namespace
