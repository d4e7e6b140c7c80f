# Two commands do all the set-up on a fresh Debian 12 machine:
#   make demo   installs dependencies, builds, runs examples/quickstart.yaml against the built-in target
#   make test   the same set-up, then the whole test suite (CTest)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/surge run examples/quickstart.yaml --out json=$(BUILD_DIR)/quickstart-results.json
	@echo "results.json written to $(BUILD_DIR)/quickstart-results.json"

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

clean:
	rm -rf $(BUILD_DIR)
