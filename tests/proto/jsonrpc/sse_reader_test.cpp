// The event-stream reader against the WHATWG parsing rules: data joining, fields, comments, the three line
// endings, priming events, ids and retry, limits, and the same events whatever the read boundaries.
#include "proto/jsonrpc/sse_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace surge::proto::jsonrpc {
namespace {

// "type|data|id" per event, so whole streams compare in one assertion.
std::vector<std::string> read_all(SseReader& reader, std::string_view stream) {
  std::vector<std::string> events;
  auto fed = reader.feed(stream, [&](const SseEvent& event) {
    events.push_back(std::string(event.type) + "|" + std::string(event.data) + "|" + std::string(event.id));
  });
  if (!fed) events.push_back("error: " + fed.error().message);
  return events;
}

std::vector<std::string> read_all(std::string_view stream) {
  SseReader reader;
  return read_all(reader, stream);
}

std::vector<std::string> read_byte_at_a_time(std::string_view stream) {
  SseReader reader;
  std::vector<std::string> events;
  for (char c : stream) {
    auto more = read_all(reader, std::string_view(&c, 1));
    events.insert(events.end(), more.begin(), more.end());
  }
  return events;
}

using Events = std::vector<std::string>;

TEST(SseReader, DispatchesAnEventAtABlankLine) {
  EXPECT_EQ(read_all("event: message\ndata: {\"id\":1}\n\n"), Events{"message|{\"id\":1}|"});
}

TEST(SseReader, CallsAnEventWithoutTypeAMessage) {
  EXPECT_EQ(read_all("data: x\n\n"), Events{"message|x|"});
  EXPECT_EQ(read_all("event: update\ndata: y\n\n"), Events{"update|y|"});
}

TEST(SseReader, JoinsDataLinesWithNewlinesAndDropsOneSpaceAfterTheColon) {
  EXPECT_EQ(read_all("data: a\ndata:b\ndata:  c\n\n"), Events{"message|a\nb\n c|"});
}

TEST(SseReader, AcceptsCrlfLfAndCrLineEnds) {
  EXPECT_EQ(read_all("data: a\r\n\r\ndata: b\n\ndata: c\r\r"),
            (Events{"message|a|", "message|b|", "message|c|"}));
}

TEST(SseReader, IgnoresCommentsAndUnknownFields) {
  EXPECT_EQ(read_all(": keep-alive\nfoo: bar\ndata: z\n:\n\n"), Events{"message|z|"});
}

TEST(SseReader, SkipsPrimingEventsWithEmptyData) {
  EXPECT_EQ(read_all("id: p1\ndata:\n\nid: p2\n\nevent: message\n\ndata: real\n\n"),
            Events{"message|real|p2"});
}

TEST(SseReader, TakesAFieldNameWithoutColonAsAnEmptyValue) {
  EXPECT_EQ(read_all("data\ndata\n\n"), Events{"message|\n|"});
}

TEST(SseReader, CarriesTheLastEventIdOverToLaterEvents) {
  SseReader reader;
  EXPECT_EQ(read_all(reader, "id: 7\ndata: a\n\ndata: b\n\n"), (Events{"message|a|7", "message|b|7"}));
  EXPECT_EQ(reader.last_event_id(), "7");
}

TEST(SseReader, IgnoresAnIdHoldingNul) {
  using namespace std::string_view_literals;
  EXPECT_EQ(read_all("id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n"sv), (Events{"message|a|1", "message|b|1"}));
}

TEST(SseReader, TakesRetryWhenItIsAllDigits) {
  SseReader reader;
  EXPECT_EQ(reader.retry_ms(), -1);
  (void)read_all(reader, "retry: 1500\n\n");
  EXPECT_EQ(reader.retry_ms(), 1500);
  (void)read_all(reader, "retry: 15x\nretry:\n\n");
  EXPECT_EQ(reader.retry_ms(), 1500);
}

TEST(SseReader, DropsAByteOrderMarkAtTheStartOnly) {
  EXPECT_EQ(read_all("\xEF\xBB\xBF"
                     "data: a\n\n\xEF\xBB\xBF"
                     "data: b\n\n"),
            Events{"message|a|"});
}

TEST(SseReader, NeverDispatchesAnEventTheStreamEndedInside) {
  EXPECT_EQ(read_all("data: a\n\ndata: cut"), Events{"message|a|"});
  EXPECT_EQ(read_all("data: a\n\ndata: cut\n"), Events{"message|a|"});
}

TEST(SseReader, GivesTheSameEventsFedOneByteAtATime) {
  const std::string stream =
      "\xEF\xBB\xBF: hi\r\nid: 1\r\nevent: message\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n"
      "data: cr\r\rretry: 20\ndata:\n\nid: 2\ndata: lf\n\n";
  const Events expected = {"message|{\"a\":\n1}|1", "message|cr|1", "message|lf|2"};
  ASSERT_EQ(read_all(stream), expected);
  EXPECT_EQ(read_byte_at_a_time(stream), expected);
}

TEST(SseReader, GivesTheSameEventsForEverySplitIntoTwoReads) {
  const std::string stream = "event: a\r\ndata: one\r\n\r\ndata: two\r\rdata: three\n\n";
  const Events expected = {"a|one|", "message|two|", "message|three|"};
  for (size_t split = 0; split <= stream.size(); ++split) {
    SseReader reader;
    Events events = read_all(reader, std::string_view(stream).substr(0, split));
    Events rest = read_all(reader, std::string_view(stream).substr(split));
    events.insert(events.end(), rest.begin(), rest.end());
    EXPECT_EQ(events, expected) << "split at " << split;
  }
}

TEST(SseReader, NextStopsRightAfterEachEvent) {
  SseReader reader;
  std::string_view input = "data: a\n\ndata: b\n\n";
  SseEvent event;
  ASSERT_EQ(reader.next(input, event), SseReader::Status::kEvent);
  EXPECT_EQ(event.data, "a");
  EXPECT_EQ(input, "data: b\n\n");
  ASSERT_EQ(reader.next(input, event), SseReader::Status::kEvent);
  EXPECT_EQ(event.data, "b");
  EXPECT_EQ(reader.next(input, event), SseReader::Status::kNeedMore);
  EXPECT_TRUE(input.empty());
}

TEST(SseReader, FailsOnALineLongerThanTheMaximum) {
  SseReader reader(16);
  EXPECT_EQ(read_all(reader, "data: 0123456789"), Events{});
  EXPECT_EQ(read_all(reader, "a"), Events{"error: SSE line longer than 16 bytes"});
  EXPECT_EQ(read_all(reader, "\n\n"), Events{"error: SSE line longer than 16 bytes"});
}

TEST(SseReader, FailsOnEventDataLongerThanTheMaximum) {
  SseReader reader(16);
  EXPECT_EQ(read_all(reader, "data: 12345678\ndata: 1234567\n"),
            Events{"error: SSE event data longer than 16 bytes"});
}

TEST(SseReader, StartsANewStreamAfterReset) {
  SseReader reader(16);
  (void)read_all(reader, "id: 3\nretry: 9\ndata: 0123456789abcdefg");
  reader.reset();
  EXPECT_EQ(reader.retry_ms(), -1);
  EXPECT_EQ(read_all(reader, "data: fresh\n\n"), Events{"message|fresh|"});
}

}  // namespace
}  // namespace surge::proto::jsonrpc
