// Fault specs to and from JSON. nlohmann's parser throws; the one call that can throw is caught right here,
// so a bad body becomes a 400 message with the parser's position and nothing unwinds into the loop.
#include "proxy/fault_json.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "plan/plan.h"

namespace surge::proxy {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Fields each kind takes, in FaultKind order; "kind" itself is always allowed.
const std::array<std::vector<std::string_view>, 7> kFieldsByKind = {{
    {"fraction", "direction", "for", "latency", "jitter"},
    {"fraction", "direction", "for", "bytes_per_s"},
    {"fraction", "direction", "for", "on_end"},
    {"fraction"},
    {"fraction", "for"},
    {"for"},
    {"fraction", "direction", "for", "delay"},
}};

core::Unexpected<core::Error> bad_field(std::string_view field, const std::string& why) {
  return core::fail("field \"" + std::string(field) + "\": " + why);
}

core::Result<FaultKind> parse_kind(const Json& value) {
  const std::string expected = "latency, bandwidth, partition, reset, close_new, refuse, slow_close";
  if (!value.is_string()) return core::fail("field \"kind\": expected a string, one of " + expected);
  const auto& text = value.get_ref<const std::string&>();
  for (size_t i = 0; i < kFieldsByKind.size(); ++i) {
    if (text == to_string(static_cast<FaultKind>(i))) return static_cast<FaultKind>(i);
  }
  return core::fail("unknown fault kind \"" + text + "\": expected one of " + expected);
}

core::Result<std::chrono::nanoseconds> parse_duration_field(std::string_view field, const Json& value) {
  if (!value.is_string()) return bad_field(field, "expected a duration string like \"100ms\"");
  auto parsed = plan::parse_duration(value.get_ref<const std::string&>());
  if (!parsed) return bad_field(field, parsed.error().message);
  return *parsed;
}

// One field into spec; the kind has already checked that it takes the field.
core::Result<void> read_field(std::string_view field, const Json& value, FaultSpec& spec) {
  if (field == "fraction") {
    if (!value.is_number()) return bad_field(field, "expected a number from 0 to 1");
    spec.fraction = value.get<double>();
  } else if (field == "direction") {
    const std::string text = value.is_string() ? value.get<std::string>() : "";
    if (text == "both" || text == "upstream" || text == "downstream") {
      spec.direction = text == "both" ? Direction::kBoth : text == "upstream" ? Direction::kUpstream : Direction::kDownstream;
    } else {
      return bad_field(field, "expected \"both\", \"upstream\" or \"downstream\"");
    }
  } else if (field == "on_end") {
    const std::string text = value.is_string() ? value.get<std::string>() : "";
    if (text != "release" && text != "drop") return bad_field(field, "expected \"release\" or \"drop\"");
    spec.on_end = text == "drop" ? OnEnd::kDrop : OnEnd::kRelease;
  } else if (field == "bytes_per_s") {
    if (!value.is_number_unsigned()) return bad_field(field, "expected a whole number of bytes per second");
    spec.bytes_per_s = value.get<uint64_t>();
  } else {
    auto duration = parse_duration_field(field, value);
    if (!duration) return core::fail(duration.error().message);
    if (field == "for") spec.duration = *duration;
    if (field == "latency") spec.latency = *duration;
    if (field == "jitter") spec.jitter = *duration;
    if (field == "delay") spec.close_delay = *duration;
  }
  return {};
}

std::string field_list(FaultKind kind) {
  std::string list = "kind";
  for (std::string_view field : kFieldsByKind[static_cast<size_t>(kind)]) list += ", " + std::string(field);
  return list;
}

OrderedJson to_object(const FaultInfo& fault) {
  const FaultSpec& spec = fault.spec;
  OrderedJson object;
  object["id"] = fault.id;
  object["kind"] = to_string(spec.kind);
  for (std::string_view field : kFieldsByKind[static_cast<size_t>(spec.kind)]) {
    const std::string key(field);
    if (field == "fraction") object[key] = spec.fraction;
    if (field == "direction") object[key] = to_string(spec.direction);
    if (field == "for") object[key] = format_duration(spec.duration);
    if (field == "latency") object[key] = format_duration(spec.latency);
    if (field == "jitter") object[key] = format_duration(spec.jitter);
    if (field == "bytes_per_s") object[key] = spec.bytes_per_s;
    if (field == "on_end") object[key] = to_string(spec.on_end);
    if (field == "delay") object[key] = format_duration(spec.close_delay);
  }
  if (spec.duration.count() > 0) object["remaining_ms"] = static_cast<double>(fault.remaining.count()) / 1e6;
  object["connections_affected"] = fault.connections_affected;
  return object;
}

}  // namespace

core::Result<FaultSpec> parse_fault_json(std::string_view text) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& error) {
    return core::fail(std::string("invalid JSON: ") + error.what());
  }
  if (!document.is_object()) return core::fail("expected a JSON object like {\"kind\":\"latency\",\"latency\":\"100ms\"}");
  if (!document.contains("kind")) return core::fail("missing field \"kind\"");
  auto kind = parse_kind(document["kind"]);
  if (!kind) return core::fail(kind.error().message);
  FaultSpec spec;
  spec.kind = *kind;
  const auto& fields = kFieldsByKind[static_cast<size_t>(spec.kind)];
  for (const auto& [key, value] : document.items()) {
    if (key == "kind") continue;
    if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
      return core::fail("field \"" + key + "\" does not apply to a " + std::string(to_string(spec.kind)) +
                        " fault; it takes: " + field_list(spec.kind));
    }
    if (auto read = read_field(key, value, spec); !read) return core::fail(read.error().message);
  }
  if (auto valid = validate(spec); !valid) return core::fail(valid.error().message);
  return spec;
}

std::string fault_to_json(const FaultInfo& fault) { return to_object(fault).dump(); }

std::string faults_to_json(const std::vector<FaultInfo>& faults) {
  OrderedJson list = OrderedJson::array();
  for (const FaultInfo& fault : faults) list.push_back(to_object(fault));
  OrderedJson document;
  document["faults"] = std::move(list);
  return document.dump();
}

std::string stats_to_json(const ProxyStats& stats, bool is_listening) {
  OrderedJson document;
  document["connections_accepted"] = stats.connections_accepted;
  document["connections_active"] = stats.connections_active;
  document["connections_closed_by_fault"] = stats.connections_closed_by_fault;
  document["connections_reset_by_fault"] = stats.connections_reset_by_fault;
  document["upstream_connect_failures"] = stats.upstream_connect_failures;
  document["bytes_upstream"] = stats.bytes_upstream;
  document["bytes_downstream"] = stats.bytes_downstream;
  document["reads_paused"] = stats.reads_paused;
  document["faults_added"] = stats.faults_added;
  document["faults_applied"] = stats.faults_applied;
  document["listening"] = is_listening;
  return document.dump();
}

std::string format_duration(std::chrono::nanoseconds duration) {
  const int64_t ns = duration.count();
  if (ns == 0) return "0";
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return std::to_string(ns) + "ns";
}

}  // namespace surge::proxy
