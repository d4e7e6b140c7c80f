// The endpoints of `surge serve` (listed in routes.h): each handler turns the path parameters into a
// ResponsePlan; bad parameters are the client's error (400), unknown paths 404.
#include "serve/routes.h"

#include <charconv>

#include "core/clock.h"
#include "serve/api_routes.h"
#include "serve/ws_routes.h"

namespace surge::serve {
namespace {

constexpr std::string_view kTextPlain = "text/plain";

bool parse_uint(std::string_view text, uint64_t max, uint64_t& value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value <= max;
}

ResponsePlan text_plan(Route route, uint16_t status, std::string_view body) {
  ResponsePlan plan;
  plan.route = route;
  plan.status = status;
  plan.text = body;
  plan.body_bytes = body.size();
  plan.content_type = body.empty() ? std::string_view() : kTextPlain;
  return plan;
}

// Bytes of "delayed {ms}ms\n".
uint64_t delayed_body_size(uint32_t ms) {
  uint64_t digits = 1;
  for (uint32_t rest = ms; rest >= 10; rest /= 10) ++digits;
  return digits + 11;
}

ResponsePlan bad_parameter(Route route) { return text_plan(route, 400, "bad request\n"); }

ResponsePlan delay_route(std::string_view ms_text) {
  uint64_t ms = 0;
  if (!parse_uint(ms_text, kMaxDelayMs, ms)) return bad_parameter(Route::kDelay);
  ResponsePlan plan = text_plan(Route::kDelay, 200, {});
  plan.source = BodySource::kDelayed;
  plan.content_type = kTextPlain;
  plan.delay_ms = static_cast<uint32_t>(ms);
  plan.body_bytes = delayed_body_size(plan.delay_ms);
  plan.delay_ns = static_cast<int64_t>(ms) * core::kNsPerMs;
  return plan;
}

ResponsePlan status_route(std::string_view code_text) {
  uint64_t code = 0;
  if (!parse_uint(code_text, 599, code) || code < 200) return bad_parameter(Route::kStatus);
  ResponsePlan plan = text_plan(Route::kStatus, static_cast<uint16_t>(code), {});
  if (code == 204 || code == 304) plan.framing = Framing::kNone;
  return plan;
}

// Framing from "?encoding=chunked|close|length" (length is the default; other parameters are ignored,
// other encodings are a 400).
bool parse_encoding(std::string_view query, Framing& framing) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (param.starts_with("encoding=")) {
      std::string_view value = param.substr(9);
      if (value == "chunked") {
        framing = Framing::kChunked;
      } else if (value == "close") {
        framing = Framing::kClose;
      } else if (value != "length") {
        return false;
      }
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return true;
}

ResponsePlan bytes_route(std::string_view n_text, std::string_view query) {
  uint64_t n = 0;
  Framing framing = Framing::kLength;
  if (!parse_uint(n_text, kMaxBytesBody, n) || !parse_encoding(query, framing))
    return bad_parameter(Route::kBytes);
  ResponsePlan plan;
  plan.route = Route::kBytes;
  plan.source = BodySource::kPattern;
  plan.body_bytes = n;
  plan.framing = framing;
  plan.content_type = "application/octet-stream";
  return plan;
}

ResponsePlan owned_plan(Route route, Action action, std::string_view content_type) {
  ResponsePlan plan;
  plan.route = route;
  plan.source = BodySource::kOwned;
  plan.action = action;
  plan.content_type = content_type;
  return plan;
}

ResponsePlan control_route(std::string_view method, std::string_view path) {
  bool readable = method == "GET" || method == "HEAD";
  if (path == "/__surge/stats" || path == "/__surge/health") {
    if (!readable) return text_plan(Route::kControl, 405, "method not allowed\n");
    if (path == "/__surge/health") return text_plan(Route::kControl, 200, "ok");
    return owned_plan(Route::kControl, Action::kStats, "application/json");
  }
  return text_plan(Route::kControl, 404, "not found\n");
}

ResponsePlan route(std::string_view method, std::string_view path, std::string_view query) {
  if (path == "/") return text_plan(Route::kRoot, 200, "surge serve\n");
  if (path == "/json") {
    ResponsePlan plan = text_plan(Route::kJson, 200, R"({"ok":true,"service":"surge","items":[1,2,3]})");
    plan.content_type = "application/json";
    return plan;
  }
  if (path == "/echo") return owned_plan(Route::kEcho, Action::kEcho, "application/octet-stream");
  if (path.starts_with("/delay/")) return delay_route(path.substr(7));
  if (path.starts_with("/status/")) return status_route(path.substr(8));
  if (path.starts_with("/bytes/")) return bytes_route(path.substr(7), query);
  if (path.starts_with("/__surge/")) return control_route(method, path);
  if (path.starts_with("/v1/")) return api_plan(method, path);
  if (path == "/mcp") return owned_plan(Route::kMcp, Action::kMcp, "application/json");
  if (is_websocket_path(path)) return websocket_plan(path);
  return text_plan(Route::kOther, 404, "not found\n");
}

}  // namespace

std::string_view route_name(Route route) {
  switch (route) {
    case Route::kRoot:
      return "/";
    case Route::kDelay:
      return "/delay";
    case Route::kStatus:
      return "/status";
    case Route::kBytes:
      return "/bytes";
    case Route::kEcho:
      return "/echo";
    case Route::kJson:
      return "/json";
    case Route::kApiLogin:
      return "/v1/login";
    case Route::kApiWhoami:
      return "/v1/whoami";
    case Route::kApiComplete:
      return "/v1/complete";
    case Route::kApiHandoff:
      return "/v1/agents/handoff";
    case Route::kApiOptimize:
      return "/v1/optimize";
    case Route::kApiRepos:
      return "/v1/repos";
    case Route::kMcp:
      return "/mcp";
    case Route::kWs:
      return "/ws";
    case Route::kRpc:
      return "/rpc";
    case Route::kOther:
      return "other";
    case Route::kControl:
      return "control";
  }
  return "other";
}

ResponsePlan plan_response(const RequestLine& request, int64_t base_delay_ns) {
  std::string_view target = request.target;
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  ResponsePlan plan = route(request.method, path, query);
  if (plan.route != Route::kControl) plan.delay_ns += base_delay_ns;
  plan.head_only = request.method == "HEAD";
  // An HTTP/1.0 client cannot read chunked framing (RFC 9112 §6.1), so it gets the close-delimited form.
  if (plan.framing == Framing::kChunked && request.minor_version == 0) plan.framing = Framing::kClose;
  plan.close_after = !request.keep_alive || plan.framing == Framing::kClose;
  plan.keep_alive_10 = request.minor_version == 0 && !plan.close_after;
  return plan;
}

ResponsePlan refusal_plan(uint16_t status) {
  ResponsePlan plan = text_plan(Route::kOther, status, status == 400 ? "bad request\n" : "request refused\n");
  plan.close_after = true;
  return plan;
}

ResponsePlan unavailable_plan(const ResponsePlan& planned) {
  ResponsePlan plan = text_plan(planned.route, 503, "service unavailable (--fail-every)\n");
  plan.head_only = planned.head_only;
  plan.close_after = planned.close_after;
  plan.keep_alive_10 = planned.keep_alive_10;
  return plan;
}

ResponsePlan continue_plan() {
  ResponsePlan plan;
  plan.route = Route::kControl;
  plan.status = 100;
  plan.framing = Framing::kNone;
  return plan;
}

}  // namespace surge::serve
