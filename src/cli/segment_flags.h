// The flags that make `surge run` one segment of a run spread over machines: --segment I/N, --start-at T,
// and the plan hash that lets `surge merge` refuse parts of different plans.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "load/segment.h"

namespace surge::cli {

// "I/N" with 0 <= I < N (N at most 65,536); the error says what was expected.
core::Result<load::Segment> parse_segment(std::string_view text);

// RFC 3339 "2026-12-01T10:00:00Z" (fractional seconds and a ±HH:MM offset allowed), "now+10s" (any surge
// duration after now), or whole Unix seconds; returns Unix time in ns. now_unix_ns anchors "now+".
core::Result<int64_t> parse_start_at(std::string_view text, int64_t now_unix_ns);

// SHA-256 (hex) of the plan file's bytes (none in quick mode) and of `inputs`, the flags that change what
// runs; two segments merge only when theirs are equal. An unreadable file hashes as its path (loading the
// plan reports it).
std::string plan_hash(const std::string& plan_path, const std::vector<std::string>& inputs);

}  // namespace surge::cli
