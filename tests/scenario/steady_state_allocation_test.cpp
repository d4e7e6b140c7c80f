// The hot-path promise, checked: once users are running, a worker's loop (users, connections, HTTP parsing,
// histogram recording, think timers) allocates nothing. Real sockets to a real `surge serve` child process.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "core/clock.h"
#include "core/event_loop.h"
#include "load/engine.h"
#include "plan/plan.h"
#include "scenario/compiled_plan.h"
#include "scenario/cookie_jar.h"
#include "support/child_process.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<uint64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC cannot see that the replaced operator new above is the malloc these frees pair with.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace surge {
namespace {

// `surge serve --port 0` by the shared launcher (killed by PID at the end) and the URL of its listening line.
struct ServeChild {
  test_support::ChildProcess child{{SURGE_BINARY, "serve", "--port", "0"}};
  std::string url;
  ServeChild() {
    const std::string line = child.first_line();
    const std::string prefix = "listening on ";
    url = line.rfind(prefix, 0) == 0 ? "http://" + line.substr(prefix.size()) : line + child.stderr_text();
  }
};

plan::Plan two_step_plan(const std::string& url) {
  plan::Plan plan;
  plan.name = "alloc";
  plan.target_url = url;
  plan::Phase phase;
  phase.name = "steady";
  phase.duration = std::chrono::milliseconds(800);
  phase.users = {8, 8};
  plan.phases.push_back(phase);
  plan::HttpStep home;
  home.name = "home";
  home.url = "/";
  plan::HttpStep json;
  json.name = "json";
  json.url = "/json";
  json.expect_status = 200;
  plan.scenarios.push_back(
      {"s",
       1,
       {home, plan::ThinkStep{std::chrono::microseconds(100), std::chrono::microseconds(300), {}}, json},
       {}});
  return plan;
}

// What one worker recorded running the plan to its end, and how many requests it had ended by the end of the
// 200 ms warm-up; allocations are counted only after the warm-up.
struct CountedRun {
  metrics::StatsGrid grid{0, 0};
  uint64_t requests_at_warm_up = 0;
};

void run_counting_allocations(const plan::Plan& plan, const std::string& url, CountedRun& run) {
  auto compiled = scenario::compile_plan(plan, url);
  ASSERT_TRUE(compiled) << compiled.error().message;
  auto loop = core::EventLoop::create();
  ASSERT_TRUE(loop);
  run.grid = metrics::StatsGrid(1, compiled->steps.size(), compiled->checks.size(), compiled->metrics.size(),
                                compiled->groups.size());
  scenario::WorkerContext context(**loop, *compiled, run.grid, 1);
  context.start_feeders(0, 1, 1);
  bool done = false;
  load::Engine model(context, plan.phases, {0, 1}, load::RequestBudget::none(), [&] { done = true; });
  int64_t start = core::monotonic_ns();
  model.start(start);

  while ((*loop)->now_ns() < start + 200 * core::kNsPerMs) ASSERT_TRUE((*loop)->run_once(core::kNsPerSec));
  run.requests_at_warm_up = run.grid.total().total();
  counting = true;
  while (!done) ASSERT_TRUE((*loop)->run_once(core::kNsPerSec));
  counting = false;
}

TEST(SteadyState, WorkerLoopAllocatesNothingAfterWarmUp) {
  ServeChild serve;
  ASSERT_EQ(serve.url.rfind("http://127.0.0.1:", 0), 0u) << serve.url;
  CountedRun run;
  ASSERT_NO_FATAL_FAILURE(run_counting_allocations(two_step_plan(serve.url), serve.url, run));

  uint64_t requests = run.grid.total().total();
  EXPECT_GT(requests - run.requests_at_warm_up, 1000u) << "the measured window must carry real load";
  EXPECT_EQ(run.grid.total().errors(), 0u);
  EXPECT_EQ(allocations.load(), 0u) << "allocations on the hot path during "
                                    << requests - run.requests_at_warm_up << " requests";
}

// The hold model's request path: held connections from the ready queue, requests at a fixed rate.
TEST(SteadyState, HoldModelWithARateAllocatesNothingAfterWarmUp) {
  ServeChild serve;
  ASSERT_EQ(serve.url.rfind("http://127.0.0.1:", 0), 0u) << serve.url;
  plan::Plan plan = two_step_plan(serve.url);
  plan::Phase& phase = plan.phases[0];
  phase.model = plan::LoadModel::kHold;
  phase.connections = 16;
  phase.connect_rate_per_s = {1000, 1000};
  phase.rate_per_s = {2000, 2000};
  CountedRun run;
  ASSERT_NO_FATAL_FAILURE(run_counting_allocations(plan, serve.url, run));

  EXPECT_EQ(run.grid.total().total(), 3200u) << "2,000/s for 0.8 s, two requests an iteration";
  EXPECT_EQ(run.grid.connections(0).opened, 16u);
  EXPECT_EQ(run.grid.total().errors(), 0u);
  EXPECT_EQ(allocations.load(), 0u) << "allocations on the hold path during "
                                    << run.grid.total().total() - run.requests_at_warm_up << " requests";
}

// Templates rendered per request, a JSON body, a captured token sent back in a header, checks, a loop and two
// custom metrics: the scenario machinery must not allocate per request either (buffers grow during warm-up).
TEST(SteadyState, TemplatedScenarioWithChecksAndCapturesAllocatesNothingAfterWarmUp) {
  ServeChild serve;
  ASSERT_EQ(serve.url.rfind("http://127.0.0.1:", 0), 0u) << serve.url;
  std::string yaml = "target: " + serve.url + R"yaml(
phases: [{ name: steady, duration: 800ms, users: 8 }]
metrics:
  - { name: cache_hit, rate: 'header("X-Cache") == "HIT"' }
  - { name: tokens, trend: 'json("$.tokens")' }
scenarios:
  - name: s
    steps:
      - http: { name: login, method: POST, url: /v1/login, json: { user: "u{{ vu.id }}-{{ iteration }}" },
                capture: { token: "$.token" }, expect: { status: 200, json_exists: "$.user" } }
      - http: { name: whoami, url: "/v1/whoami?n={{ random.int(1, 1000) }}", headers: { Authorization: "Bearer {{ token }}" },
                expect: { contains: tok-u, condition: 'json("$.authorization") contains "Bearer"' } }
      - loop:
          count: 2
          steps:
            - http: { name: complete, method: POST, url: /v1/complete, json: { prompt: "{{ random.word }} {{ uuid }}" } }
)yaml";
  auto plan = plan::load_plan_string(yaml, "alloc.yaml");
  ASSERT_TRUE(plan) << plan.error().front().to_string();
  CountedRun run;
  ASSERT_NO_FATAL_FAILURE(run_counting_allocations(*plan, serve.url, run));

  uint64_t requests = run.grid.total().total();
  EXPECT_GT(requests - run.requests_at_warm_up, 1000u) << "the measured window must carry real load";
  EXPECT_EQ(run.grid.total().errors(), 0u);
  EXPECT_GT(run.grid.custom_total(1).total, 0u) << "the trend saw the completions";
  EXPECT_EQ(allocations.load(), 0u) << "allocations on the scenario path during "
                                    << requests - run.requests_at_warm_up << " requests";
}

// A cookie scenario keeps every response head and looks for Set-Cookie; groups record each run: neither may
// allocate per request once the buffers have grown.
TEST(SteadyState, CookieScenarioWithGroupsAllocatesNothingAfterWarmUp) {
  ServeChild serve;
  ASSERT_EQ(serve.url.rfind("http://127.0.0.1:", 0), 0u) << serve.url;
  std::string yaml = "target: " + serve.url + R"yaml(
phases: [{ name: steady, duration: 800ms, users: 8 }]
scenarios:
  - name: s
    cookies: { clear: iteration }
    steps:
      - http: { name: home, url: / }
      - loop:
          count: 2
          steps:
            - group: { name: g, steps: [ { http: { name: json, url: /json } }, { think: 100us } ] }
)yaml";
  auto plan = plan::load_plan_string(yaml, "alloc.yaml");
  ASSERT_TRUE(plan) << plan.error().front().to_string();
  CountedRun run;
  ASSERT_NO_FATAL_FAILURE(run_counting_allocations(*plan, serve.url, run));

  uint64_t requests = run.grid.total().total();
  EXPECT_GT(requests - run.requests_at_warm_up, 1000u) << "the measured window must carry real load";
  EXPECT_EQ(run.grid.total().errors(), 0u);
  EXPECT_GT(run.grid.group_total(0).runs, 500u);
  EXPECT_EQ(allocations.load(), 0u) << "allocations on the cookie and group path during "
                                    << requests - run.requests_at_warm_up << " requests";
}

// The jar itself: once it has held its cookies, storing new values, deleting, re-adding, sending and clearing
// reuse its strings (values and names longer than the short-string buffer, so a lost buffer would show).
TEST(SteadyState, CookieJarStoresAndSendsWithoutAllocatingAfterWarmUp) {
  scenario::CookieJar jar;
  std::string header;
  header.reserve(512);
  const std::string sessions[] = {"session=0123456789abcdef0123; Path=/; HttpOnly",
                                  "session=abcdef0123456789abcd; Path=/; HttpOnly"};
  const std::string host = "accounts.shop.example";
  auto cycle = [&](int i) {
    jar.clear();
    jar.store(sessions[i % 2], host, "/login", 1'700'000'000);
    jar.store("preferences=dark-theme-large; Path=/account/settings; Max-Age=60", host, "/login",
              1'700'000'000);
    jar.store("preferences=; Max-Age=0; Path=/account/settings", host, "/x", 1'700'000'000);
    jar.store("preferences=light-theme-small; Path=/account/settings; Domain=shop.example", host, "/",
              1'700'000'000);
    header.clear();
    return jar.append_header(host, "/account/settings/colors", false, 1'700'000'001, header);
  };
  ASSERT_TRUE(cycle(0));
  ASSERT_TRUE(cycle(1));
  std::string expected = header;
  allocations = 0;
  counting = true;
  bool sent = true;
  for (int i = 0; i < 1000; ++i) sent = cycle(1) && sent;
  counting = false;
  EXPECT_TRUE(sent);
  EXPECT_EQ(header, "Cookie: preferences=light-theme-small; session=abcdef0123456789abcd\r\n");
  EXPECT_EQ(header, expected);
  EXPECT_EQ(allocations.load(), 0u);
}

}  // namespace
}  // namespace surge
