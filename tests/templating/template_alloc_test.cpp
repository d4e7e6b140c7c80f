// Rendering runs for every request, where nothing may allocate (STYLE.md): this binary interposes malloc,
// which operator new and OpenSSL both call, and asserts that rendering every function kind, nested, adds
// nothing once the output buffer and the per-thread argument scratch have grown in one warm-up render.
// Not in the sanitizer build (SURGE_SANITIZE): ASan replaces malloc itself (see extract_alloc_test.cpp).
#ifndef SURGE_SANITIZE
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "templating/template.h"

extern "C" void* __libc_malloc(size_t size);

namespace {
size_t mallocs = 0;
}  // namespace

extern "C" void* malloc(size_t size) noexcept {
  ++mallocs;
  return __libc_malloc(size);
}

namespace surge::templating {
namespace {

TEST(TemplateAllocation, RendersNestedSigningFunctionsWithoutAllocating) {
  Scope scope;
  scope.define("key");
  scope.define("body");
  std::vector<std::string> variables = {std::string(100, 'k'), std::string(2000, 'b')};
  auto compiled = compile_template(
      "{{ hmac_sha256(key, concat('POST', '\n', now_s, '\n', sha256(body))) }}|{{ hmac_sha256_b64(key, body) "
      "}}|"
      "{{ sha256_b64(body) }}|{{ base64(body) }}|{{ base64url(concat(body, uuid)) }}|{{ urlencode(body) }}|"
      "{{ jwt_hs256(concat('{\"sub\":\"', vu.id, '\",\"iat\":', now_s, '}'), key) }}|{{ now_iso }}",
      scope, Escape::kJson);
  ASSERT_TRUE(compiled) << compiled.error().message;
  Rng rng(1);
  std::string out;
  auto render_once = [&] {
    out.clear();
    render(*compiled, {7, 42, variables, &rng, 1700000000123}, out);
  };
  render_once();  // warm-up: out and the argument scratch grow to their steady sizes
  const size_t size = out.size();
  const size_t before = mallocs;
  for (int i = 0; i < 100; ++i) render_once();
  EXPECT_EQ(mallocs - before, 0u);
  EXPECT_EQ(out.size(), size);
}

}  // namespace
}  // namespace surge::templating

#endif  // SURGE_SANITIZE
