// JSON-RPC answers judged in place with text/'s validating walkers (a JSON-RPC message nests at most
// json::kMaxDepth levels): the ids, results and error codes of one response or of a batch's array of
// responses.
#include "scenario/rpc_judge.h"

#include "text/json_scan.h"

namespace surge::scenario {
namespace {

namespace json = text::json;

// An integer written without fraction or exponent that fits in int64_t; false for anything else.
bool read_integer(std::string_view text, size_t pos, int64_t& out) {
  size_t end = json::skip_number(text, pos);
  if (end == json::kBad) return false;
  bool negative = text[pos] == '-';
  uint64_t value = 0;
  for (size_t i = pos + (negative ? 1 : 0); i < end; ++i) {
    char c = text[i];
    if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10) return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(INT64_MAX)) return false;
  out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return true;
}

struct Response {
  bool has_id = false;  // an integer id
  int64_t id = 0;
  bool has_result = false;
  bool has_error = false;
  int64_t error_code = 0;  // 0 when the error object has no integer code
};

// The members of one response object at `open`; false when it is not a well-formed object.
bool read_response(std::string_view text, size_t open, Response& out) {
  if (open >= text.size() || text[open] != '{') return false;
  json::ContainerWalker members(text, open, json::kMaxDepth - 1);
  while (members.next()) {
    std::string_view key = members.key();
    size_t at = members.value_pos();
    if (key == "id") {
      out.has_id = read_integer(text, at, out.id);
    } else if (key == "result") {
      out.has_result = true;
    } else if (key == "error" && text[at] == '{') {
      out.has_error = true;
      json::ContainerWalker fields(text, at, json::kMaxDepth - 2);
      while (fields.next()) {
        if (fields.key() == "code" && !read_integer(text, fields.value_pos(), out.error_code))
          out.error_code = 0;
      }
      if (fields.failed()) return false;
    }
  }
  return !members.failed();
}

bool is_ours(const Response& response, int64_t first_id, uint32_t calls) {
  return response.has_id && response.id >= first_id && response.id - first_id < static_cast<int64_t>(calls);
}

}  // namespace

RpcVerdict judge_rpc_answer(std::string_view answer, int64_t first_id, uint32_t calls, bool batch,
                            metrics::RpcErrorCounts& errors) {
  size_t start = json::skip_space(answer, 0);
  if (start >= answer.size()) return {};
  if (!batch) {
    Response response;
    if (!read_response(answer, start, response)) return {};
    if (response.has_error) errors.record(response.error_code);
    bool ids_match = calls == 1 && is_ours(response, first_id, calls);
    return {ids_match, ids_match && response.has_result && !response.has_error};
  }
  if (answer[start] != '[') return {};
  uint64_t seen = 0;  // bit k: the call with id first_id + k was answered (a batch has at most 64 calls)
  bool ids_match = true;
  bool all_results = true;
  json::ContainerWalker elements(answer, start, json::kMaxDepth);
  while (elements.next()) {
    Response response;
    if (!read_response(answer, elements.value_pos(), response)) return {};
    if (response.has_error) errors.record(response.error_code);
    all_results = all_results && response.has_result && !response.has_error;
    if (!is_ours(response, first_id, calls)) {
      ids_match = false;
      continue;
    }
    uint64_t bit = uint64_t{1} << (response.id - first_id);
    ids_match = ids_match && (seen & bit) == 0;
    seen |= bit;
  }
  if (elements.failed()) return {};
  uint64_t all = calls >= 64 ? ~uint64_t{0} : (uint64_t{1} << calls) - 1;
  ids_match = ids_match && seen == all;
  return {ids_match, ids_match && all_results};
}

bool answers_rpc(std::string_view message, int64_t first_id, uint32_t calls) {
  size_t start = json::skip_space(message, 0);
  if (start >= message.size()) return false;
  Response response;
  if (message[start] == '{') {
    return read_response(message, start, response) && (response.has_result || response.has_error) &&
           is_ours(response, first_id, calls);
  }
  if (message[start] != '[') return false;
  json::ContainerWalker elements(message, start, json::kMaxDepth);
  while (elements.next()) {
    Response element;
    if (read_response(message, elements.value_pos(), element) && is_ours(element, first_id, calls))
      return true;
  }
  return false;
}

}  // namespace surge::scenario
