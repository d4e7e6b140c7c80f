// The HTTP/2 modes of `--misbehave` (misbehave.h), each one precise way an HTTP/2 server can make a client's
// life hard: the server otherwise serves as usual, and /__surge/stats counts what it did (h2_stats.cpp).
#include "serve/h2_connection.h"
#include "serve/h2_stats.h"
#include "serve/mcp_stats.h"
#include "serve/worker.h"

namespace surge::serve {

// The server's SETTINGS: MAX_CONCURRENT_STREAMS always; h2-window-1 adds INITIAL_WINDOW_SIZE 1, so a client
// may send one byte of request body per WINDOW_UPDATE; h2-settings-flood follows with kH2FloodSettings empty
// SETTINGS frames, each of which the client must acknowledge (RFC 9113 §6.5.3).
core::Result<void> H2Connection::submit_settings() {
  const Misbehaviour mode = worker_.h2_misbehaviour();
  nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
                                       {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1}};
  size_t count = mode == Misbehaviour::kH2Window1 ? 2 : 1;
  if (nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, count) != 0)
    return core::fail("cannot queue the HTTP/2 SETTINGS: out of memory");
  if (mode != Misbehaviour::kH2SettingsFlood) return {};
  for (uint32_t i = 0; i < kH2FloodSettings; ++i) {
    if (nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0) != 0)
      return core::fail("cannot queue the HTTP/2 SETTINGS flood: out of memory");
  }
  return {};
}

// h2-goaway: the kH2GoawayAfterStreams-th stream opened is the last one the server will process; GOAWAY says
// so (last-stream-id = its id, NO_ERROR), the streams up to it are answered, later ones are ignored.
void H2Connection::misbehave_on_open(H2Stream& stream) {
  if (worker_.h2_misbehaviour() != Misbehaviour::kH2Goaway || streams_opened_ != kH2GoawayAfterStreams)
    return;
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, stream.id, NGHTTP2_NO_ERROR, nullptr, 0);
}

// h2-rst-stream: every kH2ResetEvery-th stream of a connection is reset (INTERNAL_ERROR) where its response
// would go; true when it was.
bool H2Connection::misbehave_on_answer(H2Stream& stream) {
  if (worker_.h2_misbehaviour() != Misbehaviour::kH2RstStream || stream.ordinal % kH2ResetEvery != 0)
    return false;
  stream.submitted = true;  // never counted: no response went out
  nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream.id, NGHTTP2_INTERNAL_ERROR);
  return true;
}

// h2-no-status: the response goes out whole, its HEADERS without :status (fields()[0]), which is all that
// makes it malformed. Returns how many leading fields to leave out.
size_t H2Connection::misbehave_on_headers() {
  if (worker_.h2_misbehaviour() != Misbehaviour::kH2NoStatus) return 0;
  if (H2Counters* counters = worker_.stats().h2_counters(); counters != nullptr)
    bump(counters->no_status_sent);
  return 1;
}

}  // namespace surge::serve
