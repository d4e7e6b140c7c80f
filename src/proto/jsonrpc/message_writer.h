// Writing JSON-RPC 2.0 messages by appending to a caller's buffer (no allocation once it has grown): requests
// and notifications for clients, results and errors for servers, and batches of any of them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace surge::proto::jsonrpc {

// {"jsonrpc":"2.0","id":7,"method":"tools/list","params":{...}}. method is plain text (escaped here);
// params_json is raw JSON (an object or array, written as given; "" leaves "params" out).
void append_request(std::string& out, std::string_view method, std::string_view params_json, int64_t id);
// {"jsonrpc":"2.0","method":"notifications/initialized"[,"params":...]}: no id, so no answer comes.
void append_notification(std::string& out, std::string_view method, std::string_view params_json);
// {"jsonrpc":"2.0","id":<id_raw>,"result":<result_json>}. id_raw is the request's id as it was written
// (Message::id), so a string id is echoed byte for byte.
void append_result(std::string& out, std::string_view id_raw, std::string_view result_json);
// {"jsonrpc":"2.0","id":<id_raw>,"error":{"code":-32601,"message":"..."}}; message is plain text. Pass
// "null" as id_raw when the request's id could not be read (parse errors, §5.1).
void append_error(std::string& out, std::string_view id_raw, int64_t code, std::string_view message);

// The error codes of JSON-RPC 2.0 §5.1.
inline constexpr int64_t kParseError = -32700;
inline constexpr int64_t kInvalidRequest = -32600;
inline constexpr int64_t kMethodNotFound = -32601;
inline constexpr int64_t kInvalidParams = -32602;
inline constexpr int64_t kInternalError = -32603;

// A batch (§6): '[' when made, ',' before each message after the first, ']' at finish(). Write each
// message with the append_* functions right after next().
class BatchWriter {
 public:
  explicit BatchWriter(std::string& out) : out_(out) { out_ += '['; }
  // Returns the buffer to append the next message to.
  std::string& next() {
    if (count_++ > 0) out_ += ',';
    return out_;
  }
  void finish() { out_ += ']'; }
  int count() const { return count_; }

 private:
  std::string& out_;
  int count_ = 0;
};

// Appends an integer in decimal (the id of a request, a code).
void append_int(std::string& out, int64_t value);

}  // namespace surge::proto::jsonrpc
