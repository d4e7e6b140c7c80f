// `ws` steps: connect (with headers and subprotocols), send (with an optional expect), expect, ping, close.
// Only the shape is checked here; templates and JSON paths are compiled with the rest (template_check.cpp).
#include <utility>

#include "plan/json_body.h"
#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

bool read_ws_expect(YamlReader& reader, const Field& field, WsStep& step) {
  auto map = reader.read_map(field, "ws expect", {"contains", "json", "timeout"});
  if (!map) return false;
  step.expects = true;
  bool valid = true;
  if (const Field* contains = map->find("contains")) {
    std::vector<YAML::Node> items;
    if (contains->value.IsSequence()) {
      for (const YAML::Node& item : contains->value) items.push_back(item);
    } else {
      items.push_back(contains->value);
    }
    for (const YAML::Node& item : items) {
      auto text = reader.read_string(item, reader.where(item), "ws expect contains");
      if (text) step.contains.push_back(std::move(*text));
      valid = valid && text;
    }
  }
  if (const Field* json = map->find("json")) {
    valid = read_json_expectations(reader, *json, "ws expect json", step.json) && valid;
  }
  if (const Field* timeout = map->find("timeout")) {
    step.timeout = reader.read_positive_duration(*timeout, "timeout");
    valid = valid && step.timeout;
  }
  return valid;
}

bool read_connect(YamlReader& reader, const MapFields& map, WsStep& step) {
  const Field* connect = map.find("connect");
  auto url = reader.read_template(*connect);
  if (!url) return false;
  if (url->empty() || !(url->front() == '/' || url->starts_with("ws://") || url->starts_with("wss://"))) {
    reader.error(reader.where_value(*connect),
                 "ws connect: expected a path starting with /, a ws:// or a wss:// URL, found '" + *url + "'");
    return false;
  }
  step.url = std::move(*url);
  step.url_where = reader.where_text(connect->value);
  step.name = "ws connect " + step.url;
  if (const Field* headers = map.find("headers")) {
    auto read = reader.read_headers(*headers);
    if (!read) return false;
    step.headers = std::move(*read);
  }
  if (const Field* subprotocols = map.find("subprotocols")) {
    auto items = reader.read_sequence(*subprotocols);
    if (!items) return false;
    for (const YAML::Node& item : *items) {
      auto name = reader.read_string(item, reader.where(item), "subprotocol");
      if (!name) return false;
      step.subprotocols.push_back(std::move(*name));
    }
  }
  return true;
}

}  // namespace

bool read_json_expectations(YamlReader& reader, const Field& json, const std::string& what,
                            std::vector<std::pair<std::string, std::string>>& out) {
  if (!json.value.IsMap()) {
    reader.error(reader.where_value(json), what + ": expected a map of JSON paths to values");
    return false;
  }
  bool valid = true;
  for (const auto& pair : json.value) {
    auto path = reader.read_string(pair.first, reader.where(pair.first), what + " path");
    auto value = yaml_to_json(pair.second);
    if (!value) reader.error(reader.where(value.error().at), value.error().message);
    if (path && value) out.emplace_back(std::move(*path), std::move(*value));
    valid = valid && path && value;
  }
  return valid;
}

bool read_ws(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
             std::vector<Step>& out) {
  auto map = reader.read_map(field, "ws step",
                             {"connect", "headers", "subprotocols", "send", "binary", "expect", "ping", "close",
                              "name", "timeout"});
  if (!map) return false;
  WsStep step;
  step.where = where;
  int actions = (map->find("connect") != nullptr) + (map->find("send") != nullptr) + (map->find("ping") != nullptr) +
                (map->find("close") != nullptr);
  if (actions > 1 || (actions == 0 && !map->find("expect"))) {
    reader.error(where, "ws step must have exactly one of: connect, send, expect, ping, close");
    return false;
  }
  bool valid = true;
  if (map->find("connect")) {
    step.action = WsStep::Action::kConnect;
    valid = read_connect(reader, *map, step);
  } else if (const Field* send = map->find("send")) {
    step.action = WsStep::Action::kSend;
    auto message = reader.read_template(*send);
    if (message) step.message = std::move(*message);
    step.message_where = reader.where_text(send->value);
    step.name = "ws send";
    valid = message.has_value();
    if (const Field* binary = map->find("binary")) {
      auto text = reader.read_string(*binary);
      step.binary = text && *text == "true";
    }
  } else if (map->find("ping")) {
    step.action = WsStep::Action::kPing;
    step.name = "ws ping";
  } else if (const Field* close = map->find("close")) {
    step.action = WsStep::Action::kClose;
    step.name = "ws close";
    auto code = reader.read_whole(*close, "ws close code", 1000, 4999);
    if (code) step.close_code = static_cast<uint16_t>(*code);
    valid = code.has_value();
  } else {
    step.action = WsStep::Action::kExpect;
    step.name = "ws expect";
  }
  if (const Field* expect = map->find("expect")) {
    if (step.action != WsStep::Action::kSend && step.action != WsStep::Action::kExpect) {
      reader.error(reader.where_value(*expect), "ws expect: only a send step, or an expect alone, waits for a message");
      return false;
    }
    valid = read_ws_expect(reader, *expect, step) && valid;
  }
  if (const Field* timeout = map->find("timeout")) {
    step.timeout = reader.read_positive_duration(*timeout, "timeout");
    valid = valid && step.timeout;
  }
  if (const Field* name = map->find("name")) {
    auto text = reader.read_string(*name);
    if (text) step.name = std::move(*text);
    valid = valid && text;
  }
  if (!valid || !claim_step_name(reader, names, step.name, map->find("name") != nullptr, where)) return false;
  out.emplace_back(std::move(step));
  return true;
}

}  // namespace surge::plan
