// Phases and their load models. A phase has exactly one model, recognised by its keys (DESIGN.md, "Load
// models"); keys of two models, or a model missing its partner key, are reported with what to write instead.
#include <algorithm>
#include <utility>

#include "plan/limits.h"
#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

// connections and rate are shared by the constant and hold models, so they are one family until
// connect_rate (hold only) decides between the two.
enum class Family { kClosed, kOpen, kConnections };

std::optional<Family> family_of(std::string_view key) {
  if (key == "users") return Family::kClosed;
  if (key == "arrival_rate" || key == "max_users") return Family::kOpen;
  if (key == "connections" || key == "rate" || key == "connect_rate") return Family::kConnections;
  return std::nullopt;
}

// One family's keys in a phase, in document order.
struct ModelKeys {
  Family family;
  std::vector<const Field*> fields;
};

std::vector<ModelKeys> group_model_keys(const MapFields& map) {
  std::vector<ModelKeys> groups;
  for (const Field& field : map.fields()) {
    auto family = family_of(field.key);
    if (!family) continue;
    auto group =
        std::find_if(groups.begin(), groups.end(), [&](const ModelKeys& g) { return g.family == *family; });
    if (group == groups.end()) {
      groups.push_back({*family, {&field}});
    } else {
      group->fields.push_back(&field);
    }
  }
  return groups;
}

// "open (arrival_rate, max_users)".
std::string describe_keys(const ModelKeys& group, const MapFields& map) {
  LoadModel model = group.family == Family::kClosed ? LoadModel::kClosed
                    : group.family == Family::kOpen ? LoadModel::kOpen
                    : map.find("connect_rate")      ? LoadModel::kHold
                                                    : LoadModel::kConstant;
  std::string keys;
  for (const Field* field : group.fields) keys += (keys.empty() ? "" : ", ") + field->key;
  return std::string(to_string(model)) + " (" + keys + ")";
}

// The keys of the phase's one model; nullopt after reporting none or a mix (at the second model's first key).
std::optional<ModelKeys> detect_model(YamlReader& reader, const MapFields& map) {
  std::vector<ModelKeys> groups = group_model_keys(map);
  if (groups.empty()) {
    reader.error(
        reader.where(map.node()),
        "phase has no load model; add users (closed), arrival_rate and max_users (open), connections "
        "and rate (constant) or connections and connect_rate (hold)");
    return std::nullopt;
  }
  if (groups.size() > 1) {
    std::string list;
    for (size_t i = 0; i < groups.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == groups.size() ? " and " : ", ") + describe_keys(groups[i], map);
    }
    reader.error(reader.where(groups[1].fields[0]->key_node),
                 "phase mixes " + list + " keys; use one load model per phase");
    return std::nullopt;
  }
  return std::move(groups[0]);
}

using ReadValue = std::optional<double> (*)(YamlReader&, const Field&, const std::string& what);

std::optional<double> read_user_count(YamlReader& reader, const Field& field, const std::string& what) {
  auto count = reader.read_whole(field, what, 0, kMaxUsers);
  return count ? std::optional<double>(static_cast<double>(*count)) : std::nullopt;
}

std::optional<double> read_rate(YamlReader& reader, const Field& field, const std::string&) {
  return reader.read_rate_per_s(field);
}

// `users: 10`, `rate: 200/s`, or either as `{ from, to }`; `expected` describes one value.
std::optional<Ramp> read_ramp(YamlReader& reader, const Field& field, std::string_view expected,
                              ReadValue read_value) {
  if (field.value.IsMap()) {
    auto map = reader.read_map(field.value, field.key, {"from", "to"});
    const Field* from = reader.require(*map, "from");
    const Field* to = reader.require(*map, "to");
    auto from_value = from ? read_value(reader, *from, field.key + " from") : std::nullopt;
    auto to_value = to ? read_value(reader, *to, field.key + " to") : std::nullopt;
    if (!from_value || !to_value) return std::nullopt;
    return Ramp{*from_value, *to_value};
  }
  if (field.value.IsSequence()) {
    reader.error(reader.where_value(field),
                 field.key + ": expected " + std::string(expected) + " or { from, to }, found a sequence");
    return std::nullopt;
  }
  auto value = read_value(reader, field, field.key);
  if (!value) return std::nullopt;
  return Ramp{*value, *value};
}

std::optional<Ramp> read_rate_ramp(YamlReader& reader, const Field* field) {
  if (field == nullptr) return Ramp{};
  return read_ramp(reader, *field, "a rate like 200/s", read_rate);
}

bool read_closed(YamlReader& reader, const MapFields& map, Phase& phase) {
  phase.model = LoadModel::kClosed;
  auto users = read_ramp(reader, *map.find("users"), "a whole number", read_user_count);
  if (users) phase.users = *users;
  return users.has_value();
}

bool read_open(YamlReader& reader, const MapFields& map, Phase& phase) {
  phase.model = LoadModel::kOpen;
  const Field* rate = map.find("arrival_rate");
  const Field* max_users = map.find("max_users");
  auto ramp = rate ? read_rate_ramp(reader, rate) : std::nullopt;
  auto pool = max_users ? reader.read_whole(*max_users, "max_users", 1, kMaxUsers) : std::nullopt;
  if (rate == nullptr) {
    reader.error(reader.where(max_users->key_node),
                 "phase has max_users without arrival_rate; add arrival_rate, like arrival_rate: 200/s");
  } else if (max_users == nullptr) {
    reader.error(reader.where(rate->key_node),
                 "phase has arrival_rate without max_users; add max_users, the most iterations in flight at "
                 "once, like max_users: 1000");
  }
  if (!ramp || !pool) return false;
  phase.arrival_rate_per_s = *ramp;
  phase.max_users = static_cast<uint64_t>(*pool);
  return true;
}

// constant (connections, rate) or hold (connections, connect_rate, optional rate).
bool read_connections(YamlReader& reader, const MapFields& map, const ModelKeys& keys, Phase& phase) {
  const Field* connections = map.find("connections");
  const Field* connect_rate = map.find("connect_rate");
  phase.model = connect_rate ? LoadModel::kHold : LoadModel::kConstant;
  auto count = connections ? reader.read_whole(*connections, "connections", 1, kMaxUsers) : std::nullopt;
  auto rate = read_rate_ramp(reader, map.find("rate"));
  auto connect = read_rate_ramp(reader, connect_rate);
  if (connections == nullptr) {
    const Field* first = keys.fields[0];
    reader.error(reader.where(first->key_node),
                 "phase has " + first->key + " without connections; add connections, like connections: 50");
    return false;
  }
  if (keys.fields.size() == 1) {
    reader.error(reader.where(connections->key_node),
                 "phase has connections without rate or connect_rate; add rate (constant throughput, like "
                 "rate: 1000/s) or connect_rate (hold, like connect_rate: 1000/s)");
    return false;
  }
  if (connect && connect_rate && std::max(connect->from, connect->to) <= 0) {
    reader.error(reader.where_value(*connect_rate),
                 "connect_rate is 0 for the whole phase, so its connections never open; expected > 0 at "
                 "some point");
    return false;
  }
  if (!count || !rate || !connect) return false;
  phase.connections = static_cast<uint64_t>(*count);
  phase.rate_per_s = *rate;
  phase.connect_rate_per_s = *connect;
  return true;
}

bool read_load_model(YamlReader& reader, const MapFields& map, Phase& phase) {
  auto keys = detect_model(reader, map);
  if (!keys) return false;
  switch (keys->family) {
    case Family::kClosed:
      return read_closed(reader, map, phase);
    case Family::kOpen:
      return read_open(reader, map, phase);
    case Family::kConnections:
      return read_connections(reader, map, *keys, phase);
  }
  return false;
}

// `arrivals: uniform | poisson`, an open phase's only (it spaces arrival_rate's arrivals). The model is
// checked only when it was read, so a phase with a broken model gets that one error.
bool read_arrivals(YamlReader& reader, const Field& field, bool has_model, Phase& phase) {
  auto text = reader.read_string(field);
  if (!text) return false;
  if (*text == "poisson") {
    phase.arrivals = Arrivals::kPoisson;
  } else if (*text != "uniform") {
    reader.error(reader.where_value(field), "arrivals '" + *text + "': expected uniform or poisson");
    return false;
  }
  if (has_model && phase.model != LoadModel::kOpen) {
    reader.error(reader.where(field.key_node),
                 "arrivals applies to open phases (arrival_rate) only; this phase is " +
                     std::string(to_string(phase.model)) + "; remove arrivals, or use arrival_rate and max_users");
    return false;
  }
  return true;
}

std::optional<Phase> read_phase(YamlReader& reader, const YAML::Node& node, NameIndex& names,
                                Duration default_graceful_stop) {
  auto map = reader.read_map(node, "phase",
                             {"name", "duration", "users", "arrival_rate", "max_users", "arrivals", "connections",
                              "rate", "connect_rate", "graceful_stop", "stable"});
  if (!map) return std::nullopt;
  Phase phase;
  phase.where = reader.where(node);
  phase.graceful_stop = default_graceful_stop;
  auto name = read_unique_name(reader, *map, names, "phase");
  const Field* duration_field = reader.require(*map, "duration");
  auto duration =
      duration_field ? reader.read_positive_duration(*duration_field, "phase duration") : std::nullopt;
  bool valid = name && duration;
  if (const Field* field = map->find("graceful_stop")) {
    auto stop = reader.read_duration(*field);
    if (stop) phase.graceful_stop = *stop;
    valid = valid && stop;
  }
  if (const Field* field = map->find("stable")) {
    auto stable = reader.read_positive_duration(*field, "stable");
    if (stable) phase.stable = *stable;
    valid = valid && stable;
  }
  bool has_model = read_load_model(reader, *map, phase);
  if (const Field* field = map->find("arrivals")) valid = read_arrivals(reader, *field, has_model, phase) && valid;
  valid = has_model && valid;
  if (!valid) return std::nullopt;
  phase.name = std::move(*name);
  phase.duration = *duration;
  return phase;
}

}  // namespace

std::vector<Phase> read_phases(YamlReader& reader, const Field& field, Duration default_graceful_stop) {
  std::vector<Phase> phases;
  auto items = reader.read_sequence(field);
  if (!items) return phases;
  if (items->empty()) reader.error(reader.where_value(field), "plan has no phases; expected at least one");
  NameIndex names;
  for (const YAML::Node& item : *items) {
    if (auto phase = read_phase(reader, item, names, default_graceful_stop))
      phases.push_back(std::move(*phase));
  }
  return phases;
}

}  // namespace surge::plan
