# Two commands do all the set-up on a fresh Debian 12 machine:
#   make demo   installs dependencies, builds the surge binary only, runs examples/quickstart.yaml against the
#               built-in target
#   make test   installs dependencies, builds everything (every test binary), then the whole test suite (CTest)
#               and every fuzz target for 30 s
# For contributors (docs/development.md):
#   make fuzz       builds the libFuzzer targets with clang in build-fuzz, runs each FUZZ_SECONDS (60)
#   make test-asan  builds everything with ASan + UBSan in build-asan and runs the whole suite there
#   make test-asan-ci  the part of it CI runs: the test folders of ASAN_CI_SUITES and the fuzz corpus replay,
#                      built with clang in build-fuzz, the tree the fuzz targets use (one sanitizer build, not two)
# Benchmarks (docs/performance.md), never part of `make test`:
#   make bench        installs the peers (bench/install-peers.sh), then bench/compare.sh BENCH_ARGS
#   make bench-micro  builds and runs the micro-benchmarks of bench/micro (Google Benchmark) BENCH_MICRO_ARGS
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
FUZZ_DIR ?= build-fuzz
JOBS ?= $(shell nproc)
# Tests at once in `make test`: twice the cores. The tests that measure time run alone whatever this is (CTest
# RUN_SERIAL, tests/e2e/CMakeLists.txt); the others assert counts and mostly wait on the processes they
# started, so two per core finish the suite sooner (274 s against 336 s at one per core, docs/development.md).
CTEST_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
FUZZ_SECONDS ?= 60
# A sanitizer report stops the process with a stack (symbolized by llvm-symbolizer), so a test fails on it.
SANITIZER_ENV = ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# ctest arguments of test-asan; CI narrows them (.ci/run).
ASAN_CTEST_ARGS ?=
# The test folders (CTest labels) CI builds and runs under ASan + UBSan: the decoders of network and user
# bytes and the modules under them, which build without the surge binary (docs/development.md).
ASAN_CI_SUITES ?= core text metrics net extract templating proto_http proto_ws proto_jsonrpc plan results sla report compare
# ccache (CMakeLists.txt uses it where installed) names files relative to the checkout, so clones and
# worktrees on one machine share its cache.
export CCACHE_BASEDIR ?= $(CURDIR)
empty :=
space := $(empty) $(empty)

.PHONY: all deps configure build surge demo test fuzz test-asan test-asan-ci bench bench-micro clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The binary alone: what the demo runs (a first run need not wait for the test suite to compile).
surge: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target surge

demo: surge
	$(BUILD_DIR)/surge run examples/quickstart.yaml --out json=$(BUILD_DIR)/quickstart-results.json
	@echo "results.json written to $(BUILD_DIR)/quickstart-results.json"

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(CTEST_JOBS) --timeout 600
	FUZZ_SECONDS=30 FUZZ_JOBS=$(JOBS) FUZZ_BUILD_DIR=$(abspath $(FUZZ_DIR)) scripts/fuzz.sh

fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) FUZZ_BUILD_DIR=$(abspath $(FUZZ_DIR)) scripts/fuzz.sh

test-asan: deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSURGE_SANITIZE=ON > /dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --timeout 900 $(ASAN_CTEST_ARGS)

# The fuzz targets' tree (clang, ASan + UBSan and libFuzzer's coverage: SURGE_FUZZ) builds these suites too,
# so after `make test` (whose fuzz step built its modules) only the test binaries are left to compile.
test-asan-ci: deps
	@cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DSURGE_FUZZ=ON > /dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_replay $(patsubst %,surge_%_tests,$(ASAN_CI_SUITES))
	cd $(FUZZ_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --timeout 900 \
	  -L '^($(subst $(space),|,$(strip fuzz $(ASAN_CI_SUITES))))$$'

bench: build
	bench/compare.sh $(BENCH_ARGS)

bench-micro: build
	@cmake --build $(BUILD_DIR) --target surge_micro_benchmarks
	$(BUILD_DIR)/bench/micro/surge_micro_benchmarks $(BENCH_MICRO_ARGS)

clean:
	rm -rf $(BUILD_DIR)
