// render(): per request for every templated URL, header and body. The buffer is reused, as the virtual user
// reuses its own, so a render is appending bytes only.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "templating/template.h"

namespace {

using namespace surge::templating;

void render_bench(benchmark::State& state, const char* text, Escape escape) {
  Scope scope;
  scope.define("token");
  auto compiled = compile_template(text, scope, escape);
  if (!compiled) {
    state.SkipWithError(compiled.error().message.c_str());
    return;
  }
  std::vector<std::string> variables = {"eyJhbGciOiJIUzI1NiJ9.e30.dGVzdA"};
  Rng rng(1);
  RenderContext context{7, 0, variables, &rng, 1700000000123};
  std::string out;
  out.reserve(1024);
  for (auto _ : state) {
    out.clear();
    ++context.iteration;
    render(*compiled, context, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

// A URL with the user and iteration (bench/scenario_cost.sh's "templated" step).
void BM_RenderUrl(benchmark::State& state) {
  render_bench(state, "/users/{{ vu.id }}/orders?page={{ iteration }}", Escape::kNone);
}
BENCHMARK(BM_RenderUrl);

// A JSON body with a captured variable, random pieces and a uuid, escaped as JSON.
void BM_RenderJsonBody(benchmark::State& state) {
  render_bench(state,
               R"({"user": {{ vu.id }}, "token": "{{ token }}", "word": "{{ random.word }}", )"
               R"("n": {{ random.int(1, 1000) }}, "id": "{{ uuid }}", "at": {{ now_ms }}})",
               Escape::kJson);
}
BENCHMARK(BM_RenderJsonBody);

}  // namespace
