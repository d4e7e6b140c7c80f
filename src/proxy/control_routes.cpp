// Route matching for the control API. Paths are matched without their query; fault ids are decimal.
#include "proxy/control_routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "proxy/fault_json.h"

namespace surge::proxy {
namespace {

constexpr std::string_view kFaultsPath = "/faults";

ControlResponse add_fault(Proxy& proxy, std::string_view body) {
  auto spec = parse_fault_json(body);
  if (!spec) return error_response(400, spec.error().message);
  const uint64_t applied_before = proxy.stats().faults_applied;
  auto id = proxy.add_fault(*spec);
  if (!id) return error_response(400, id.error().message);
  // The connections it took effect on as it was added (for a reset: those it reset).
  const FaultInfo added{*id, *spec, spec->duration, proxy.stats().faults_applied - applied_before};
  return {201, fault_to_json(added)};
}

ControlResponse remove_fault(Proxy& proxy, std::string_view id_text) {
  FaultId id = 0;
  auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (error != std::errc() || end != id_text.data() + id_text.size() || id_text.empty()) {
    return error_response(404, "no fault \"" + std::string(id_text) + "\": ids are numbers, see GET /faults");
  }
  if (!proxy.remove_fault(id)) {
    return error_response(404, "no active fault " + std::to_string(id) + " (removed, expired, or never added)");
  }
  return {204, ""};
}

ControlResponse wrong_method(std::string_view path, std::string_view allowed) {
  return error_response(405, std::string(path) + " answers " + std::string(allowed));
}

}  // namespace

ControlResponse handle_control_request(Proxy& proxy, std::string_view method, std::string_view target,
                                       std::string_view body) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == kFaultsPath) {
    if (method == "POST") return add_fault(proxy, body);
    if (method == "GET") return {200, faults_to_json(proxy.faults())};
    return wrong_method(path, "GET and POST");
  }
  if (path.starts_with("/faults/")) {
    if (method != "DELETE") return wrong_method(path, "DELETE");
    return remove_fault(proxy, path.substr(kFaultsPath.size() + 1));
  }
  if (path == "/stats") {
    if (method != "GET") return wrong_method(path, "GET");
    return {200, stats_to_json(proxy.stats(), proxy.is_listening())};
  }
  return error_response(404, "not found: " + std::string(path) +
                                 "; the control API has /faults, /faults/{id} and /stats");
}

ControlResponse error_response(int status, const std::string& message) {
  nlohmann::json body;
  body["error"] = message;
  // The message may quote a client's bytes: replace invalid UTF-8 instead of throwing.
  return {status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    default: return "Request Header Fields Too Large";
  }
}

}  // namespace surge::proxy
