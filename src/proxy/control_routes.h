// The control API's routes, apart from the sockets so they can be called directly: one request in, one JSON
// answer out, acting on the proxy (like Toxiproxy's API, over plain HTTP/1.1).
#pragma once

#include <string>
#include <string_view>

#include "proxy/proxy.h"

namespace surge::proxy {

struct ControlResponse {
  int status = 200;
  std::string body;  // JSON; empty for 204. Errors are {"error":"one line"}.
};

// POST /faults (body: a fault, fault_json.h) → 201 {"id":N,...the fault}; GET /faults → 200 {"faults":[...]};
// DELETE /faults/{id} → 204, or 404 when no such fault is active; GET /stats → 200 (stats_to_json).
// A bad fault is 400, an unknown path 404, a known path with the wrong method 405.
ControlResponse handle_control_request(Proxy& proxy, std::string_view method, std::string_view target,
                                       std::string_view body);

// {"error":"message"} with this status (invalid UTF-8 in the message is replaced, never thrown on).
ControlResponse error_response(int status, const std::string& message);

std::string_view reason_phrase(int status);  // "OK", "Created", ... for the status line

}  // namespace surge::proxy
