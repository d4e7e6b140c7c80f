// Judging JSON-RPC answers: does the answer carry exactly the ids the request drew (a batch's responses in any
// order), does each hold a result, and which error codes came back. Reads the raw JSON in place, with no
// allocation, for HTTP bodies and WebSocket messages alike.
#pragma once

#include <cstdint>
#include <string_view>

#include "metrics/rpc_errors.h"

namespace surge::scenario {

// A jsonrpc or mcp step as compiled (plan::RpcCall plus the check columns and session facts it needs).
struct CompiledRpc {
  uint32_t calls = 0;        // ids the message draws from the user's counter (0: notifications only)
  bool batch = false;        // the message and its answer are arrays
  bool wants_result = false;  // every answer must hold "result"
  bool session = false;      // a 404 answer re-initializes the MCP session
  uint32_t id_check = 0;     // global check index of "jsonrpc id"
  uint32_t result_check = 0;  // ... of "jsonrpc result" (when wants_result)
  uint32_t session_slot = 0;  // session: the mcp_session variable, emptied on 404
  uint32_t initialize_step = 0;  // session: index of the scenario's initialize step (its notification follows)
};

struct RpcVerdict {
  bool ids_match = false;    // one response per call, each with one of the ids sent, none twice
  bool all_results = false;  // ... and every one of them a result, not an error object
};

// Judges `answer` (one response object, or for a batch an array of them) for calls with ids first_id ..
// first_id + calls - 1. Error objects' codes are recorded in `errors` (an error without an integer code
// counts as code 0). Malformed JSON matches nothing.
RpcVerdict judge_rpc_answer(std::string_view answer, int64_t first_id, uint32_t calls, bool batch,
                            metrics::RpcErrorCounts& errors);

// True when a message is a response (not a request or notification) carrying one of the ids
// first_id .. first_id + calls - 1, or is an array holding such a response: the WebSocket session waits
// for it and skips anything else.
bool answers_rpc(std::string_view message, int64_t first_id, uint32_t calls);

}  // namespace surge::scenario
