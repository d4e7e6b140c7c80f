// The hostile modes' names and the exact bytes each one writes. Every answer is the smallest message that
// breaks one rule; fillers come from 64 KiB static blocks, so a 1 GiB body costs no memory.
#include "serve/misbehave.h"

#include <algorithm>
#include <array>

#include "proto/ws/frame.h"

namespace surge::serve {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Misbehaviour::kCount)> kNames = {
    "none",
    "garbage",
    "drip",
    "huge-header",
    "long-header-line",
    "no-colon",
    "cl-and-chunked",
    "negative-length",
    "overflow-length",
    "chunk-overflow",
    "huge-body",
    "early-response",
    "reset-mid-body",
    "never-read",
    "ws-masked",
    "ws-oversized-control",
    "ws-fragmented-control",
    "h2-goaway",
    "h2-rst-stream",
    "h2-window-1",
    "h2-settings-flood",
    "h2-no-status",
};

constexpr size_t kBlockBytes = 64 * 1024;
// One filler header line: "X-Filler: " + 1,012 x + CRLF = 1,024 bytes, so 1 MiB is 1,024 whole lines.
constexpr size_t kFillerLineBytes = 1024;
constexpr size_t kGarbageBytes = 512;
// Half of kResetMidBody's announced body goes out before the reset.
constexpr uint64_t kResetBodyBytes = 2048;

struct Blocks {
  std::array<char, kBlockBytes> body;
  std::array<char, kBlockBytes> header_lines;
};

const Blocks& blocks() {
  static const Blocks made = [] {
    Blocks b;
    b.body.fill('x');
    constexpr std::string_view kName = "X-Filler: ";
    for (size_t line = 0; line < kBlockBytes; line += kFillerLineBytes) {
      char* at = b.header_lines.data() + line;
      for (size_t i = 0; i < kFillerLineBytes; ++i) at[i] = 'x';
      for (size_t i = 0; i < kName.size(); ++i) at[i] = kName[i];
      at[kFillerLineBytes - 2] = '\r';
      at[kFillerLineBytes - 1] = '\n';
    }
    return b;
  }();
  return made;
}

// splitmix64: enough randomness for garbage, and reproducible from the seed.
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string garbage(uint64_t seed) {
  std::string bytes(kGarbageBytes, '\0');
  for (char& c : bytes) c = static_cast<char>(next_random(seed));
  bytes[0] = '\x16';  // never 'H': the bytes must not start like a status line by chance
  return bytes;
}

}  // namespace

std::string_view to_string(Misbehaviour mode) { return kNames[static_cast<size_t>(mode)]; }

std::optional<Misbehaviour> parse_misbehaviour(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Misbehaviour>(i);
  }
  return std::nullopt;
}

std::string misbehaviour_names() {
  std::string names;
  for (size_t i = 1; i < kNames.size(); ++i) {
    if (!names.empty()) names += ", ";
    names += kNames[i];
  }
  return names;
}

bool is_h2_mode(Misbehaviour mode) {
  return mode == Misbehaviour::kH2Goaway || mode == Misbehaviour::kH2RstStream ||
         mode == Misbehaviour::kH2Window1 || mode == Misbehaviour::kH2SettingsFlood ||
         mode == Misbehaviour::kH2NoStatus;
}

bool is_websocket_mode(Misbehaviour mode) {
  return mode == Misbehaviour::kWsMasked || mode == Misbehaviour::kWsOversizedControl ||
         mode == Misbehaviour::kWsFragmentedControl;
}

HostileAnswer hostile_answer(Misbehaviour mode, uint64_t random) {
  using End = HostileAnswer::End;
  HostileAnswer answer;
  switch (mode) {
    case Misbehaviour::kGarbage:
      answer.prefix = garbage(random);
      answer.end = End::kClose;
      break;
    case Misbehaviour::kDrip:
      answer.prefix = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kHugeHeadBytes) + "\r\n\r\n";
      answer.filler_bytes = kHugeHeadBytes;
      answer.drip = true;
      break;
    case Misbehaviour::kHugeHeader:
      answer.prefix = "HTTP/1.1 200 OK\r\n";
      answer.filler_bytes = kHugeHeadBytes;
      answer.filler = HostileAnswer::Filler::kHeaderLines;
      answer.suffix = "Content-Length: 0\r\n\r\n";
      break;
    case Misbehaviour::kLongHeaderLine:
      answer.prefix = "HTTP/1.1 200 OK\r\nX-Long: ";
      answer.filler_bytes = kHugeHeadBytes;
      answer.suffix = "\r\nContent-Length: 0\r\n\r\n";
      break;
    case Misbehaviour::kNoColon:
      answer.prefix = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-No-Colon\r\n\r\nok";
      break;
    case Misbehaviour::kClAndChunked:
      answer.prefix =
          "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
      break;
    case Misbehaviour::kNegativeLength:
      answer.prefix = "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n";
      break;
    case Misbehaviour::kOverflowLength:
      answer.prefix = "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n";
      break;
    case Misbehaviour::kChunkOverflow:
      answer.prefix = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n";
      break;
    case Misbehaviour::kHugeBody:
      answer.prefix = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kHugeBodyBytes) + "\r\n\r\n";
      answer.filler_bytes = kHugeBodyBytes;
      break;
    case Misbehaviour::kEarlyResponse:
      answer.prefix =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntoo early";
      answer.end = End::kClose;
      break;
    case Misbehaviour::kResetMidBody:
      answer.prefix =
          "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(2 * kResetBodyBytes) + "\r\n\r\n";
      answer.filler_bytes = kResetBodyBytes;
      answer.end = End::kReset;
      break;
    default:
      break;
  }
  return answer;
}

std::string hostile_frame(Misbehaviour mode) {
  std::string frame;
  if (mode == Misbehaviour::kWsMasked) {
    (void)proto::ws::append_frame(frame, proto::ws::Opcode::kText, "masked", true, 0x5A17C0DEu);
  } else if (mode == Misbehaviour::kWsOversizedControl) {
    constexpr size_t kPingBytes = 200;  // 126..65535 takes the 16-bit length form
    frame = {'\x89', '\x7e', '\x00', static_cast<char>(kPingBytes)};
    frame.append(kPingBytes, 'p');
  } else if (mode == Misbehaviour::kWsFragmentedControl) {
    frame = {'\x09', '\x04', 'p', 'i', 'n', 'g'};  // FIN clear on a ping
  }
  return frame;
}

std::string_view filler_bytes(HostileAnswer::Filler filler, uint64_t offset, uint64_t size) {
  const auto& block = filler == HostileAnswer::Filler::kBody ? blocks().body : blocks().header_lines;
  size_t at = static_cast<size_t>(offset % kBlockBytes);
  size_t run = static_cast<size_t>(std::min<uint64_t>(size, kBlockBytes - at));
  return {block.data() + at, run};
}

}  // namespace surge::serve
