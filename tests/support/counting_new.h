// Replaces the global operator new with one that counts, for the allocation tests that assert a hot path adds
// nothing to `allocations`. Include it in exactly one file of a test binary (a replacement operator new may be
// defined only once per program).
#pragma once

#include <cstdlib>
#include <new>

namespace {
size_t allocations = 0;
}  // namespace

void* operator new(size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
