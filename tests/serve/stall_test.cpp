// Stall mode: the schedule's arithmetic, then a real server that freezes every 500 ms for 200 ms, observed
// from outside with the test's own monotonic clock placed on the server's through started_at_unix_ms.
#include "serve/stall.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <time.h>

#include <memory>
#include <vector>

#include "core/clock.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

constexpr int64_t kEveryNs = 500 * core::kNsPerMs;
constexpr int64_t kForNs = 200 * core::kNsPerMs;
// How far a measured time may be from the one the stalls imply: timer wake-up, scheduling, clock alignment.
constexpr double kToleranceS = 0.005;
// When a stall begins depends on the server being scheduled on time; other tests run beside this one, so a
// stall may begin a few ms late (and then ends on time, shorter). What the stats say must match what clients
// saw (kToleranceS); the schedule itself is checked more loosely.
constexpr double kScheduleToleranceS = 0.025;

TEST(StallSchedule, PlacesStallKAtTheStartPlusKPeriods) {
  StallSchedule schedule(1000, 500, 200);
  EXPECT_EQ(schedule.window(1).begin_ns, 1500);
  EXPECT_EQ(schedule.window(1).end_ns, 1700);
  EXPECT_EQ(schedule.window(3).begin_ns, 2500);
  EXPECT_EQ(schedule.window(3).end_ns, 2700);
}

TEST(StallSchedule, KeepsAStallThatHasNotEndedYet) {
  StallSchedule schedule(1000, 500, 200);
  EXPECT_EQ(schedule.first_unended(1, 1000), 1) << "before the first";
  EXPECT_EQ(schedule.first_unended(1, 1699), 1) << "begun late, 1 ns before its end";
  EXPECT_EQ(schedule.first_unended(2, 1100), 2) << "never goes back before `from`";
}

TEST(StallSchedule, SkipsStallsThatEndedWhileTheLoopWasBusy) {
  StallSchedule schedule(1000, 500, 200);
  EXPECT_EQ(schedule.first_unended(1, 1700), 2) << "stall 1 ends at 1700";
  EXPECT_EQ(schedule.first_unended(1, 2800), 4) << "stalls 1-3 are over by 2800";
}

ServeOptions stalling_options(int workers = 1) {
  ServeOptions options = options_on_free_port(workers);
  options.stall_every = std::chrono::nanoseconds(kEveryNs);
  options.stall_for = std::chrono::nanoseconds(kForNs);
  return options;
}

// The server's start on this process's monotonic clock. started_at_unix_ms is truncated to the
// millisecond, so the middle of that millisecond is the best estimate (off by 0.5 ms at most).
int64_t server_start_ns(uint16_t port) {
  int64_t started_ns =
      stats_of(port)["started_at_unix_ms"].get<int64_t>() * core::kNsPerMs + core::kNsPerMs / 2;
  return core::monotonic_ns() - (core::wall_clock_ns() - started_ns);
}

// Waiting for a moment of the server's schedule is what these tests are about, so they sleep to it.
void sleep_until(int64_t monotonic_ns) {
  timespec until{monotonic_ns / core::kNsPerSec, monotonic_ns % core::kNsPerSec};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
  }
}

// When each client's response began to arrive, watched on all at once: reading them one after another
// would make a fast answer on one worker look as late as a frozen one read before it.
std::vector<int64_t> answer_times(std::vector<std::unique_ptr<Client>>& clients) {
  std::vector<int64_t> answered_ns(clients.size(), 0);
  for (size_t left = clients.size(); left > 0;) {
    std::vector<pollfd> fds;
    for (size_t i = 0; i < clients.size(); ++i) {
      if (answered_ns[i] == 0) fds.push_back({clients[i]->fd(), POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), 10000) <= 0) throw std::runtime_error("no answer within 10 s");
    int64_t now_ns = core::monotonic_ns();
    for (size_t i = 0, f = 0; i < clients.size(); ++i) {
      if (answered_ns[i] != 0) continue;
      if (fds[f++].revents != 0) {
        answered_ns[i] = now_ns;
        take_length_response(*clients[i]);
        --left;
      }
    }
  }
  return answered_ns;
}

double seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

double end_s(const nlohmann::json& stall) {
  return stall["at_s"].get<double>() + stall["for_s"].get<double>();
}

TEST(ServeStall, ARequestSentDuringAStallIsAnsweredWhenItEnds) {
  ServerProcess server(stalling_options());
  Client client(server.port());
  client.send(get("/"));
  take_length_response(client);  // accepted and answered before the stall
  int64_t start_ns = server_start_ns(server.port());
  sleep_until(start_ns + 600 * core::kNsPerMs);  // the middle of stall 1, [500, 700) ms
  int64_t sent_ns = core::monotonic_ns();
  client.send(get("/"));
  take_length_response(client);
  double waited_s = seconds(core::monotonic_ns() - sent_ns);
  nlohmann::json stalls = stats_of(server.port())["stalls"];
  ASSERT_GE(stalls.size(), 1u);
  double sent_s = seconds(sent_ns - start_ns);
  ASSERT_GE(sent_s, stalls[0]["at_s"].get<double>()) << "the request must go out inside the stall";
  ASSERT_LT(sent_s, end_s(stalls[0]));
  EXPECT_NEAR(waited_s, end_s(stalls[0]) - sent_s, kToleranceS);
}

TEST(ServeStall, ARequestBetweenStallsIsAnsweredAtOnce) {
  ServerProcess server(stalling_options());
  Client client(server.port());
  int64_t start_ns = server_start_ns(server.port());
  sleep_until(start_ns + 850 * core::kNsPerMs);  // between stall 1 [500, 700) and stall 2 [1000, 1200)
  int64_t sent_ns = core::monotonic_ns();
  client.send(get("/"));
  take_length_response(client);
  EXPECT_LT(seconds(core::monotonic_ns() - sent_ns), kToleranceS);
}

TEST(ServeStall, StatsListEveryStallAtItsScheduledTimeAndLength) {
  ServerProcess server(stalling_options());
  int64_t start_ns = server_start_ns(server.port());
  sleep_until(start_ns + 2350 * core::kNsPerMs);  // stall 4 ended at 2200 ms, stall 5 begins at 2500 ms
  nlohmann::json stalls = stats_of(server.port())["stalls"];
  ASSERT_EQ(stalls.size(), 4u) << stalls;
  for (size_t k = 1; k <= stalls.size(); ++k) {
    EXPECT_NEAR(stalls[k - 1]["at_s"].get<double>(), seconds(static_cast<int64_t>(k) * kEveryNs),
                kScheduleToleranceS);
    EXPECT_NEAR(stalls[k - 1]["for_s"].get<double>(), seconds(kForNs), kScheduleToleranceS);
    EXPECT_NEAR(end_s(stalls[k - 1]), seconds(static_cast<int64_t>(k) * kEveryNs + kForNs), kScheduleToleranceS);
  }
}

TEST(ServeStall, TwoWorkersFreezeAtTheSameMoments) {
  ServerProcess server(stalling_options(2));
  // 16 connections: the kernel spreads them over both workers (all on one: chance 2^-15).
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 16; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    clients.back()->send(get("/"));
    take_length_response(*clients.back());
  }
  int64_t start_ns = server_start_ns(server.port());
  sleep_until(start_ns + 600 * core::kNsPerMs);
  std::vector<int64_t> sent_ns;
  for (auto& client : clients) {
    sent_ns.push_back(core::monotonic_ns());
    client->send(get("/"));
  }
  std::vector<int64_t> answered_ns = answer_times(clients);
  nlohmann::json stalls = stats_of(server.port())["stalls"];
  ASSERT_GE(stalls.size(), 1u);
  ASSERT_LT(seconds(sent_ns.back() - start_ns), end_s(stalls[0])) << "every request must go out in the stall";
  for (size_t i = 0; i < clients.size(); ++i) {
    EXPECT_NEAR(seconds(answered_ns[i] - sent_ns[i]), end_s(stalls[0]) - seconds(sent_ns[i] - start_ns),
                kToleranceS)
        << "connection " << i;
  }
}

TEST(ServeStats, StartedAtIsTheWallClockOfTheStart) {
  int64_t before_ms = core::wall_clock_ns() / core::kNsPerMs;
  ServerProcess server(options_on_free_port());
  int64_t after_ms = core::wall_clock_ns() / core::kNsPerMs;
  int64_t started_ms = stats_of(server.port())["started_at_unix_ms"].get<int64_t>();
  EXPECT_GE(started_ms, before_ms);
  EXPECT_LE(started_ms, after_ms);
}

TEST(ServeStats, ListNoStallsWithoutStallMode) {
  ServerProcess server(options_on_free_port());
  EXPECT_EQ(stats_of(server.port())["stalls"], nlohmann::json::array());
}

}  // namespace
}  // namespace surge::serve::testing
