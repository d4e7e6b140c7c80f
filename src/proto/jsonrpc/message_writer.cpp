// JSON-RPC 2.0 message writing. Members come in a fixed order (jsonrpc, id, method/result/error, params) so
// the bytes of a message are predictable and tests compare them exactly.
#include "proto/jsonrpc/message_writer.h"

#include <charconv>

#include "text/json_string.h"

namespace surge::proto::jsonrpc {
namespace {

using text::json::append_escaped;

constexpr std::string_view kOpen = R"({"jsonrpc":"2.0")";

void append_method(std::string& out, std::string_view method, std::string_view params_json) {
  out += R"(,"method":")";
  append_escaped(out, method);
  out += '"';
  if (!params_json.empty()) {
    out += R"(,"params":)";
    out += params_json;
  }
  out += '}';
}

}  // namespace

void append_int(std::string& out, int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, static_cast<size_t>(end - digits));
}

void append_request(std::string& out, std::string_view method, std::string_view params_json, int64_t id) {
  out += kOpen;
  out += R"(,"id":)";
  append_int(out, id);
  append_method(out, method, params_json);
}

void append_notification(std::string& out, std::string_view method, std::string_view params_json) {
  out += kOpen;
  append_method(out, method, params_json);
}

void append_result(std::string& out, std::string_view id_raw, std::string_view result_json) {
  out += kOpen;
  out += R"(,"id":)";
  out += id_raw;
  out += R"(,"result":)";
  out += result_json;
  out += '}';
}

void append_error(std::string& out, std::string_view id_raw, int64_t code, std::string_view message) {
  out += kOpen;
  out += R"(,"id":)";
  out += id_raw;
  out += R"(,"error":{"code":)";
  append_int(out, code);
  out += R"(,"message":")";
  append_escaped(out, message);
  out += "\"}}";
}

}  // namespace surge::proto::jsonrpc
