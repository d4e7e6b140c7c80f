// WriteBatch: the bytes of a response, and the same bytes resumed from any offset (what a short write needs).
#include "serve/response_writer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace surge::serve {
namespace {

// The bytes of `view` from `offset` on, through as many batches as it takes.
std::string render(const ResponseView& view, uint64_t offset = 0) {
  auto batch = std::make_unique<WriteBatch>();
  std::string out;
  while (true) {
    batch->clear();
    bool whole = batch->append(view, offset + out.size());
    for (int i = 0; i < batch->iov_count(); ++i) {
      out.append(static_cast<const char*>(batch->iov()[i].iov_base), batch->iov()[i].iov_len);
    }
    if (whole) return out;
  }
}

ResponseView view_of(const ResponsePlan& plan) {
  ResponseView view;
  view.plan = &plan;
  view.date = "Thu, 01 Jan 2026 00:00:00 GMT";
  return view;
}

TEST(ServeResponseWriter, RendersAHeadAndAStaticBody) {
  ResponsePlan plan = plan_response(RequestLine{"GET", "/", 1, true}, 0);
  EXPECT_EQ(render(view_of(plan)),
            "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Type: text/plain\r\n"
            "Content-Length: 12\r\n\r\nsurge serve\n");
}

TEST(ServeResponseWriter, RendersContinueAsABareStatusLine) {
  ResponsePlan plan = continue_plan();
  EXPECT_EQ(render(view_of(plan)), "HTTP/1.1 100 Continue\r\n\r\n");
}

TEST(ServeResponseWriter, ResumesAChunkedBodyFromAnyOffset) {
  // 3 full chunks and a partial one: the skip arithmetic over whole chunks and the byte-wise rest.
  ResponsePlan plan = plan_response(RequestLine{"GET", "/bytes/60000?encoding=chunked", 1, true}, 0);
  std::string full = render(view_of(plan));
  uint64_t head = full.find("\r\n\r\n") + 4;
  ASSERT_EQ(full.size(), head + 12 + 16384 + 2 + 2 * (6 + 16384 + 2) + 6 + 10848 + 2 + 22);
  EXPECT_EQ(full.substr(full.size() - 22 - 2 - 10848 - 6, 6), "2a60\r\n");
  for (uint64_t offset = 0; offset <= full.size(); offset += 997) {
    ASSERT_EQ(render(view_of(plan), offset), full.substr(offset)) << "offset " << offset;
  }
  for (uint64_t offset : {head, head + 16398, head + 16398 + 16392, head + 16398 + 2 * 16392 - 1}) {
    ASSERT_EQ(render(view_of(plan), offset), full.substr(offset)) << "offset " << offset;
  }
}

TEST(ServeResponseWriter, ResumesAPatternBodyFromAnyOffset) {
  ResponsePlan plan = plan_response(RequestLine{"GET", "/bytes/3000000", 1, true}, 0);
  std::string full = render(view_of(plan));
  for (uint64_t offset = 0; offset <= full.size(); offset += 65521) {
    ASSERT_EQ(render(view_of(plan), offset), full.substr(offset)) << "offset " << offset;
  }
}

TEST(ServeResponseWriter, StopsAtItsByteBudgetAndSaysSo) {
  ResponsePlan plan = plan_response(RequestLine{"GET", "/bytes/5000000", 1, true}, 0);
  auto batch = std::make_unique<WriteBatch>();
  batch->clear();
  EXPECT_FALSE(batch->append(view_of(plan), 0));
  EXPECT_EQ(batch->bytes(), WriteBatch::kMaxBytes);
}

TEST(ServeResponseWriter, FormatsTheDateOfAUnixSecond) {
  DateCache cache;
  EXPECT_EQ(cache.format(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(cache.format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
}  // namespace surge::serve
