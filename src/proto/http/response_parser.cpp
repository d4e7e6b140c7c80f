// ResponseParser: the driver and the head scanner (status line, field names, line ends), kept in one
// translation unit because it runs per head byte. Framing values, the length decision and the body are
// in response_framing.cpp.
#include "proto/http/response_parser.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "proto/http/field_rules.h"
#include "proto/http/response_states.h"

namespace surge::proto::http {

namespace {
constexpr std::string_view kVersionPrefix = "HTTP/1.";
constexpr size_t kProtocolLength = 5;  // "HTTP/": a mismatch before it is not HTTP at all

// Lower-case names indexed by Field; they share the prefix "con" only between Content-Length and Connection.
constexpr std::string_view kFieldNames[] = {"", "content-length", "transfer-encoding", "connection"};
constexpr size_t kSharedPrefix = 3;

// "HTTP/1.x nnn" and the byte after it: a status line this long, all in one read, is parsed in one step.
constexpr size_t kStatusPrefix = 13;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_lower(const char* data, std::string_view lower) {
  for (size_t k = 0; k < lower.size(); ++k) {
    if (to_lower_ascii(data[k]) != lower[k]) return false;
  }
  return true;
}

// Bytes that end the fast scan of a value framing ignores: the line end, and NUL, which is an error.
constexpr std::array<bool, 256> kValueStop = [] {
  std::array<bool, 256> stop{};
  stop['\r'] = stop['\n'] = stop['\0'] = true;
  return stop;
}();
}  // namespace

ResponseParser::ResponseParser(uint32_t max_head_bytes, uint32_t max_line_bytes)
    : max_head_bytes_(max_head_bytes), max_line_bytes_(max_line_bytes) {
  start(false);
}

void ResponseParser::start(bool is_head_request) {
  state_ = State::kVersion;
  error_ = ParseError::kNone;
  body_bytes_ = 0;
  wire_bytes_ = 0;
  flags_ = is_head_request ? kIsHead : 0;
  reset_head();
}

// Forgets one head's facts: used per response and again after each interim 1xx head.
void ResponseParser::reset_head() {
  content_length_ = 0;
  number_ = 0;
  head_bytes_ = 0;
  line_bytes_ = 0;
  status_code_ = 0;
  minor_version_ = 0;
  flags_ &= kIsHead;
  field_ = Field::kOther;
  progress_ = 0;
}

ResponseParser::Status ResponseParser::status() const {
  if (state_ == State::kComplete) return Status::kComplete;
  if (state_ == State::kError) return Status::kError;
  return Status::kNeedMore;
}

size_t ResponseParser::feed(const char* data, size_t len) {
  size_t used = 0;
  while (used < len && state_ < State::kComplete) {
    if (state_ < State::kBodyLength) {
      used += feed_head(data + used, len - used);
    } else {
      used += feed_body(data + used, len - used);
    }
  }
  wire_bytes_ += used;
  return used;
}

void ResponseParser::finish_on_eof() {
  if (state_ == State::kBodyUntilClose) return complete();
  if (state_ < State::kComplete) fail(ParseError::kUnexpectedEof);
}

void ResponseParser::complete() { state_ = State::kComplete; }

void ResponseParser::fail(ParseError error) {
  error_ = error;
  state_ = State::kError;
}

// Parses head bytes up to the end of one head (final or interim), an error, the input's end, the head limit
// or the line limit. Reason phrases, and names and values of fields framing ignores, are skipped by tight
// scans; the line limit only moves where they stop, so it costs nothing per byte.
size_t ResponseParser::feed_head(const char* data, size_t len) {
  size_t budget = head_bytes_ < max_head_bytes_ ? max_head_bytes_ - head_bytes_ : 0;
  size_t head_limit = std::min(len, budget);
  // Where the current line began, relative to data: negative when it began in an earlier feed.
  int64_t line_begin = -static_cast<int64_t>(line_bytes_);
  size_t i = 0;
  while (i < head_limit) {
    int64_t line_end = line_begin + static_cast<int64_t>(max_line_bytes_);
    size_t limit = line_end <= 0 ? 0 : std::min(head_limit, static_cast<size_t>(line_end));
    if (i >= limit) break;
    if (state_ == State::kVersion && progress_ == 0 && limit - i >= kStatusPrefix && status_line_at_once(data + i)) {
      i += kStatusPrefix;
      if (state_ == State::kLineStart) line_begin = static_cast<int64_t>(i);
      continue;
    }
    // Runs inside one field line stay in tight loops; the switch below sees only the bytes that change
    // state. Each test reads state_ alone: testing field_ with it made GCC load both with one wide read
    // right after byte stores to them, a store-forwarding stall that cost a third of the head time.
    if (state_ == State::kOtherValue || state_ == State::kReason) {
      while (i < limit && !kValueStop[static_cast<unsigned char>(data[i])]) ++i;
    } else if (state_ == State::kOtherName) {
      while (i < limit && is_token_char(data[i])) ++i;
    } else if (state_ == State::kName) {
      size_t end = i;
      while (end < limit && is_token_char(data[end])) ++end;
      if (end < limit && progress_ == 1) {
        name_at_once(data + i, end - i);  // the whole name is here: one comparison instead of one per byte
        i = end;
      } else {
        while (i < limit && state_ == State::kName && is_token_char(data[i])) on_name_byte(data[i++]);
      }
      if (state_ != State::kName) continue;
    } else if (state_ == State::kValue) {
      if (field_ != Field::kContentLength && progress_ == 0) i = token_value_at_once(data, i, limit);
      while (i < limit && state_ == State::kValue && !kValueStop[static_cast<unsigned char>(data[i])]) {
        on_value_byte(data[i++]);
      }
    }
    if (state_ == State::kError) return i;
    if (i == limit) break;
    if (on_head_byte(data[i++])) return i;  // head ended; an interim head already reset the count
    if (state_ == State::kError) return i;
    if (state_ == State::kLineStart) line_begin = static_cast<int64_t>(i);  // a line just ended
  }
  head_bytes_ += static_cast<uint32_t>(i);
  line_bytes_ = static_cast<uint32_t>(static_cast<int64_t>(i) - line_begin);
  if (i < len) fail(i < head_limit ? ParseError::kLineTooLong : ParseError::kHeaderTooLarge);
  return i;
}

bool ResponseParser::on_head_byte(char c) {
  if (state_ <= State::kStatusLf) {
    on_status_line_byte(c);
    return false;
  }
  return on_field_byte(c);
}

// The common status line start, "HTTP/1.<d> <ddd>" and SP, CR or LF, in one step: true when data[0, 13) is
// exactly that (the states are then as if fed byte by byte). Anything else, errors included, goes byte by byte.
bool ResponseParser::status_line_at_once(const char* data) {
  if (std::string_view(data, kVersionPrefix.size()) != kVersionPrefix || !is_digit(data[7]) || data[8] != ' ' ||
      !is_digit(data[9]) || !is_digit(data[10]) || !is_digit(data[11])) {
    return false;
  }
  const char after = data[12];
  const int code = (data[9] - '0') * 100 + (data[10] - '0') * 10 + (data[11] - '0');
  if (code < 100 || (after != ' ' && after != '\r' && after != '\n')) return false;
  minor_version_ = static_cast<uint8_t>(data[7] - '0');
  status_code_ = static_cast<uint16_t>(code);
  progress_ = 3;
  state_ = after == ' ' ? State::kReason : after == '\r' ? State::kStatusLf : State::kLineStart;
  return true;
}

void ResponseParser::on_status_line_byte(char c) {
  switch (state_) {
    case State::kVersion:
      if (c != kVersionPrefix[progress_]) {
        return fail(progress_ < kProtocolLength ? ParseError::kBadStatusLine : ParseError::kBadVersion);
      }
      if (++progress_ == kVersionPrefix.size()) state_ = State::kMinor;
      return;
    case State::kMinor:
      if (c < '0' || c > '9') return fail(ParseError::kBadVersion);
      minor_version_ = static_cast<uint8_t>(c - '0');
      state_ = State::kCodeSpace;
      return;
    case State::kCodeSpace:
      if (c != ' ') return fail(ParseError::kBadVersion);  // "HTTP/1.10" or a missing space
      progress_ = 0;
      state_ = State::kCode;
      return;
    case State::kCode:
      if (c >= '0' && c <= '9' && progress_ < 3) {
        status_code_ = static_cast<uint16_t>(status_code_ * 10 + (c - '0'));
        ++progress_;
        return;
      }
      // Exactly three digits, 100..999 (RFC 9110 §15); the reason phrase after a space is optional.
      if (progress_ != 3 || status_code_ < 100 || (c != ' ' && c != '\r' && c != '\n')) {
        return fail(ParseError::kBadStatusCode);
      }
      state_ = c == ' ' ? State::kReason : c == '\r' ? State::kStatusLf : State::kLineStart;
      return;
    case State::kReason:
      if (c == '\r') state_ = State::kStatusLf;
      if (c == '\n') state_ = State::kLineStart;
      return;
    case State::kStatusLf:
      if (c != '\n') return fail(ParseError::kBadStatusLine);
      state_ = State::kLineStart;
      return;
    default:
      return;
  }
}

// Returns true when the byte ended the head.
bool ResponseParser::on_field_byte(char c) {
  switch (state_) {
    case State::kLineStart:
      if (c == '\r') {
        state_ = State::kHeadLf;
      } else if (c == '\n') {
        end_head();
        return true;
      } else if (is_token_char(c)) {
        start_name(c);
      } else {
        fail(ParseError::kBadHeader);  // obs-fold (leading SP/HTAB), an empty name, or a stray byte
      }
      return false;
    case State::kName:
    case State::kOtherName:
      if (is_token_char(c)) {
        if (state_ == State::kName) on_name_byte(c);
      } else if (c == ':') {
        end_name();
      } else {
        fail(ParseError::kBadHeader);  // no ':' before the line end, or space before ':' (RFC 9112 §5.1)
      }
      return false;
    case State::kValue:
    case State::kOtherValue:
      if (c == '\r' || c == '\n') {
        if (state_ == State::kValue) end_field();
        if (state_ != State::kError) state_ = c == '\r' ? State::kLineLf : State::kLineStart;
      } else if (c == '\0') {
        fail(ParseError::kBadHeader);
      } else if (state_ == State::kValue) {
        on_value_byte(c);
      }
      return false;
    case State::kLineLf:
      if (c != '\n') {
        fail(ParseError::kBadHeader);  // a bare CR inside a field line
        return false;
      }
      state_ = State::kLineStart;
      return false;
    case State::kHeadLf:
      if (c != '\n') {
        fail(ParseError::kBadHeader);
        return false;
      }
      end_head();
      return true;
    default:
      return false;
  }
}

// The first byte of a field name picks the one framing field it could still be.
void ResponseParser::start_name(char c) {
  char lower = to_lower_ascii(c);
  field_ = lower == 'c' ? Field::kContentLength : lower == 't' ? Field::kTransferEncoding : Field::kOther;
  progress_ = 1;
  state_ = field_ == Field::kOther ? State::kOtherName : State::kName;
}

void ResponseParser::end_name() {
  auto index = static_cast<size_t>(field_);
  if (field_ != Field::kOther && progress_ != kFieldNames[index].size()) field_ = Field::kOther;
  // A later Transfer-Encoding field restarts "which coding is final"; its tokens set it again.
  if (field_ == Field::kTransferEncoding) {
    flags_ = static_cast<uint8_t>((flags_ | kHasTransferEncoding) & ~kChunkedLast);
  }
  progress_ = 0;
  state_ = field_ == Field::kOther ? State::kOtherValue : State::kValue;
}

// The rest of a field name after its first byte (start_name), all token bytes and all in this read: which
// framing field it is, or none, as on_name_byte would have found byte by byte.
void ResponseParser::name_at_once(const char* rest, size_t size) {
  auto matches = [&](Field field) {
    std::string_view name = kFieldNames[static_cast<size_t>(field)];
    return size == name.size() - 1 && equals_lower(rest, name.substr(1));
  };
  if (matches(field_)) {
    progress_ = static_cast<uint8_t>(kFieldNames[static_cast<size_t>(field_)].size());
  } else if (field_ == Field::kContentLength && matches(Field::kConnection)) {
    field_ = Field::kConnection;
    progress_ = static_cast<uint8_t>(kFieldNames[static_cast<size_t>(field_)].size());
  } else {
    field_ = Field::kOther;
    state_ = State::kOtherName;
  }
}

// A Transfer-Encoding or Connection value that is one bare token up to the line end, all in this read
// ("keep-alive\r\n"): matched in one comparison, leaving progress_ as on_token_byte would. Returns where the
// byte-by-byte path goes on: at the line end when it applied, else at `from`.
size_t ResponseParser::token_value_at_once(const char* data, size_t from, size_t limit) {
  size_t begin = from;
  while (begin < limit && is_ows(data[begin])) ++begin;
  size_t end = begin;
  while (end < limit && is_token_char(data[end])) ++end;
  if (end == begin || end >= limit || (data[end] != '\r' && data[end] != '\n')) return from;
  if (field_ >= Field::kConnection) {
    char first = to_lower_ascii(data[begin]);
    field_ = first == 'c' ? Field::kConnectionClose : first == 'k' ? Field::kConnectionKeepAlive : Field::kConnection;
  }
  std::string_view wanted = wanted_token();
  const size_t size = end - begin;
  progress_ = size == wanted.size() && equals_lower(data + begin, wanted) ? static_cast<uint8_t>(size) : static_cast<uint8_t>(kMismatch | 1);
  return end;
}

void ResponseParser::on_name_byte(char c) {
  char lower = to_lower_ascii(c);
  std::string_view name = kFieldNames[static_cast<size_t>(field_)];
  if (progress_ < name.size() && name[progress_] == lower) {
    ++progress_;
  } else if (field_ == Field::kContentLength && progress_ == kSharedPrefix && lower == 'n') {
    field_ = Field::kConnection;
    ++progress_;
  } else {
    field_ = Field::kOther;
    state_ = State::kOtherName;
  }
}

}  // namespace surge::proto::http
