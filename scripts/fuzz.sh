#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) in build-fuzz and runs each for a
# bounded time, FUZZ_JOBS at once. Fails if any target crashes, hangs or runs out of memory; the input that
# did it is kept in build-fuzz/fuzz/crashes/<target>/ and the log in build-fuzz/fuzz/logs/<target>.log.
# Inputs the fuzzer finds go to build-fuzz/fuzz/corpus/<target>/ and never into the repo's seed corpus.
#   FUZZ_SECONDS  time per target (default 60)     FUZZ_TARGETS  which targets (default: all)
#   FUZZ_JOBS     targets run at once (default nproc)  FUZZ_BUILD_DIR  (default build-fuzz)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-$(nproc)}"
all_targets="response_parser chunked_decoder request_parser frame_decoder sse json_path condition template plan text"
read -r -a targets <<< "${FUZZ_TARGETS:-$all_targets}"

if ! command -v clang++ > /dev/null 2>&1; then
  echo "fuzz: clang++ not found (scripts/install-deps.sh installs clang and its libFuzzer runtime)" >&2
  exit 1
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DSURGE_FUZZ=ON > /dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"

# The dictionary of each target, where one helps (tests/fuzz/dict).
dict_of() {
  case "$1" in
    response_parser | chunked_decoder | request_parser) echo http ;;
    sse | json_path | condition | text) echo json ;;
    template | plan) echo "$1" ;;
  esac
}

# Runs one target; prints one line, and the log's tail on failure. -timeout is per input: one input taking
# 20 s is a hang. -rss_limit_mb keeps two parallel targets within a small CI machine's memory.
run_target() {
  local target="$1" work="$build/fuzz/corpus/$1" crashes="$build/fuzz/crashes/$1/" log="$build/fuzz/logs/$1.log"
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  local args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=2048
              -artifact_prefix="$crashes" -print_final_stats=1)
  local dict
  dict="$(dict_of "$target")"
  [ -n "$dict" ] && args+=(-dict="$root/tests/fuzz/dict/$dict.dict")
  if "$build/tests/fuzz/fuzz_$target" "${args[@]}" "$work" "$root/tests/fuzz/corpus/$target" > "$log" 2>&1; then
    local runs
    runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
    echo "fuzz: $target ok: $runs inputs in ${seconds} s, corpus $(ls "$work" | wc -l) files"
  else
    echo "fuzz: $target FAILED (log $log); input kept in $crashes:" >&2
    ls -1 "$crashes" >&2
    grep -E -A30 'ERROR: |runtime error|deadly signal|SUMMARY' "$log" | head -60 >&2
    return 1
  fi
}

failed=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_target "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
[ "$failed" -eq 0 ] || { echo "fuzz: failures above; reproduce with build-fuzz/tests/fuzz/fuzz_<target> <input>" >&2; exit 1; }
echo "fuzz: all ${#targets[@]} targets ran ${seconds} s each without a failure"
