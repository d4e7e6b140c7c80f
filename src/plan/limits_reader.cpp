// `timeouts:` and `limits:`, the plan's bounds on how long a virtual user waits on a target and how large a
// response may be (docs/hostile-targets.md). Sizes are bytes, written plain (16384) or with a binary unit.
#include <charconv>
#include <string>
#include <string_view>

#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kGiB = kKiB * kKiB * kKiB;

// "16384", "512B", "64KiB", "1MiB", "2GiB"; nullopt for anything else or a value over 2^62 bytes.
std::optional<uint64_t> parse_byte_size(std::string_view text) {
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  uint64_t scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  if (unit == "KiB") scale = kKiB;
  if (unit == "MiB") scale = kKiB * kKiB;
  if (unit == "GiB") scale = kGiB;
  if (scale == 0 || number > (uint64_t{1} << 62) / scale) return std::nullopt;
  return number * scale;
}

// A size in [min, max] bytes, or nullopt after reporting it at the value.
std::optional<uint64_t> read_size(YamlReader& reader, const Field& field, uint64_t min, uint64_t max) {
  std::optional<uint64_t> size;
  if (field.value.IsScalar()) size = parse_byte_size(field.value.Scalar());
  if (!size) {
    reader.error(reader.where_value(field), field.key + ": expected a size like 64KiB, 1MiB or 16384, found " +
                                                describe(field.value));
    return std::nullopt;
  }
  if (*size < min || *size > max) {
    reader.error(reader.where_value(field), field.key + " must be from " + std::to_string(min) + " to " +
                                                std::to_string(max) + " bytes, found '" +
                                                field.value.Scalar() + "'");
    return std::nullopt;
  }
  return size;
}

void read_duration_key(YamlReader& reader, const MapFields& map, std::string_view key, Duration& out) {
  if (const Field* field = map.find(key)) {
    if (auto duration = reader.read_positive_duration(*field, "timeouts." + std::string(key))) out = *duration;
  }
}

template <class T>
void read_size_key(YamlReader& reader, const MapFields& map, std::string_view key, uint64_t min, uint64_t max,
                   T& out) {
  if (const Field* field = map.find(key)) {
    if (auto size = read_size(reader, *field, min, max)) out = static_cast<T>(*size);
  }
}

}  // namespace

Timeouts read_timeouts(YamlReader& reader, const Field& field) {
  Timeouts timeouts;
  auto map = reader.read_map(field, "timeouts", {"connect", "idle", "ws_receive"});
  if (!map) return timeouts;
  read_duration_key(reader, *map, "connect", timeouts.connect);
  read_duration_key(reader, *map, "idle", timeouts.idle);
  if (map->find("ws_receive")) {
    Duration ws_receive{};
    read_duration_key(reader, *map, "ws_receive", ws_receive);
    if (ws_receive.count() > 0) timeouts.ws_receive = ws_receive;
  }
  return timeouts;
}

Limits read_limits(YamlReader& reader, const Field& field) {
  Limits limits;
  auto map = reader.read_map(field, "limits",
                             {"max_header_bytes", "max_header_line_bytes", "max_kept_bytes", "max_body_bytes"});
  if (!map) return limits;
  // Below 1 KiB no real status line and Date would fit; past 1 GiB a head is not a head.
  read_size_key(reader, *map, "max_header_bytes", kKiB, kGiB, limits.max_header_bytes);
  read_size_key(reader, *map, "max_header_line_bytes", 256, kGiB, limits.max_header_line_bytes);
  read_size_key(reader, *map, "max_kept_bytes", kKiB, kGiB, limits.max_kept_bytes);
  read_size_key(reader, *map, "max_body_bytes", 0, uint64_t{1} << 62, limits.max_body_bytes);
  return limits;
}

}  // namespace surge::plan
