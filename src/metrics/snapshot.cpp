// Snapshot framing: length prefix + varint header + sparse grid.
#include "metrics/snapshot.h"

#include "metrics/varint.h"

namespace surge::metrics {

void encode_frame(const Snapshot& snapshot, std::string& out) {
  size_t length_at = out.size();
  out.append(4, '\0');
  put_varint(out, snapshot.worker);
  put_varint(out, snapshot.sequence);
  put_varint(out, snapshot.is_final ? 1 : 0);
  put_varint(out, snapshot.phase);
  put_varint(out, snapshot.active_users);
  put_varint(out, snapshot.open_connections);
  put_varint(out, snapshot.max_open_connections);
  put_varint(out, snapshot.iterations);
  put_varint(out, static_cast<uint64_t>(snapshot.outcomes.first_ok_ns));
  put_varint(out, static_cast<uint64_t>(snapshot.outcomes.last_error_ns));
  put_varint(out, static_cast<uint64_t>(snapshot.outcomes.first_ok_after_error_ns));
  snapshot.grid.encode(out);
  auto length = static_cast<uint32_t>(out.size() - length_at - 4);
  for (int i = 0; i < 4; ++i) out[length_at + i] = static_cast<char>((length >> (8 * i)) & 0xff);
}

core::Result<void> decode_frame(std::string_view body, Snapshot& snapshot) {
  uint64_t worker = 0, is_final = 0, phase = 0;
  if (!get_varint(body, worker) || !get_varint(body, snapshot.sequence) || !get_varint(body, is_final) ||
      !get_varint(body, phase) || !get_varint(body, snapshot.active_users) ||
      !get_varint(body, snapshot.open_connections) || !get_varint(body, snapshot.max_open_connections) ||
      !get_varint(body, snapshot.iterations)) {
    return core::fail("snapshot decode: truncated header");
  }
  uint64_t first_ok = 0, last_error = 0, first_ok_after_error = 0;
  if (!get_varint(body, first_ok) || !get_varint(body, last_error) || !get_varint(body, first_ok_after_error)) {
    return core::fail("snapshot decode: truncated header");
  }
  snapshot.outcomes = {static_cast<int64_t>(first_ok), static_cast<int64_t>(last_error),
                       static_cast<int64_t>(first_ok_after_error)};
  snapshot.worker = static_cast<uint32_t>(worker);
  snapshot.is_final = is_final != 0;
  snapshot.phase = static_cast<uint32_t>(phase);
  auto grid = snapshot.grid.decode_into(body);
  if (!grid) return grid;
  if (!body.empty()) return core::fail("snapshot decode: trailing bytes");
  return {};
}

}  // namespace surge::metrics
