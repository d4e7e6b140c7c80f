// `proxy:` and `faults:` (docs/faults.md): where the plan's fault proxy listens, and the timeline of faults.
// Every check that needs only the plan is made here, so a bad fault points at its line and column before
// any load: an unknown kind, a field the kind does not take, `at` past the run's end, a proxy fault without
// `proxy:`, a process fault without its process.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

using Kind = FaultEntry::Kind;

std::string format_seconds(Duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%gs", static_cast<double>(duration.count()) / 1e9);
  return text;
}

struct KindInfo {
  std::string_view name;
  Kind kind;
  std::vector<std::string_view> fields;  // besides kind, at, stable (a vector: an initializer_list member would dangle)
};

// The fields each kind takes, in the order the messages list them.
const std::vector<KindInfo>& kind_table() {
  static const std::vector<KindInfo> table{
      {"latency", Kind::kLatency, {"for", "fraction", "direction", "ms", "latency", "jitter"}},
      {"bandwidth", Kind::kBandwidth, {"for", "fraction", "direction", "bytes_per_s"}},
      {"partition", Kind::kPartition, {"for", "fraction", "direction", "on_end"}},
      {"reset", Kind::kReset, {"fraction"}},
      {"close_new", Kind::kCloseNew, {"for", "fraction"}},
      {"refuse", Kind::kRefuse, {"for"}},
      {"slow_close", Kind::kSlowClose, {"for", "fraction", "direction", "delay"}},
      {"kill", Kind::kKill, {"for", "target_pid", "command", "signal", "restart"}},
      {"stop", Kind::kStop, {"for", "target_pid", "command"}},
      {"cont", Kind::kCont, {"target_pid", "command"}},
      {"exec", Kind::kExec, {"command", "exec"}},
  };
  return table;
}

std::string kind_names() {
  std::string names;
  for (const KindInfo& info : kind_table()) names += (names.empty() ? "" : ", ") + std::string(info.name);
  return names;
}

// `ms: 200` (a number of milliseconds, the form) or a duration (`200ms`, `1.5s`).
std::optional<Duration> read_ms_or_duration(YamlReader& reader, const Field& field) {
  if (field.value.IsScalar()) {
    const std::string text = field.value.Scalar();
    char* end = nullptr;
    const double ms = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) {
      if (!(ms >= 0) || ms > 1e9) {
        reader.error(reader.where_value(field), field.key + " must be from 0 to 1e9 ms, found " + text);
        return std::nullopt;
      }
      return Duration(static_cast<int64_t>(std::llround(ms * 1e6)));
    }
  }
  return reader.read_duration(field);
}

// SIGKILL, KILL, kill or 9.
std::optional<int> read_signal(YamlReader& reader, const Field& field) {
  auto text = reader.read_string(field);
  if (!text) return std::nullopt;
  std::string name = *text;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.starts_with("SIG")) name.erase(0, 3);
  static const std::vector<std::pair<std::string_view, int>> kSignals{
      {"KILL", SIGKILL}, {"TERM", SIGTERM}, {"INT", SIGINT}, {"HUP", SIGHUP}, {"QUIT", SIGQUIT},
      {"STOP", SIGSTOP}, {"CONT", SIGCONT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
  for (const auto& [signal_name, number] : kSignals) {
    if (name == signal_name) return number;
  }
  char* end = nullptr;
  const long number = std::strtol(text->c_str(), &end, 10);
  if (!text->empty() && *end == '\0' && number >= 1 && number <= 64) return static_cast<int>(number);
  reader.error(reader.where_value(field),
               "signal must be a signal name (SIGKILL, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) or a "
               "number from 1 to 64, found '" + *text + "'");
  return std::nullopt;
}

// A command line: a non-empty sequence of strings.
std::optional<std::vector<std::string>> read_argv(YamlReader& reader, const Field& field) {
  if (!field.value.IsSequence() || field.value.size() == 0) {
    reader.error(reader.where_value(field), field.key + " must be a non-empty sequence of strings (argv), like "
                                            "[surge, serve, --port, \"8080\"], found " + describe(field.value));
    return std::nullopt;
  }
  std::vector<std::string> argv;
  for (const YAML::Node& item : field.value) {
    auto word = reader.read_string(item, reader.where(item), field.key + " entry");
    if (!word) return std::nullopt;
    argv.push_back(*word);
  }
  return argv;
}

// `at: 5s`, `at: sustained` (the phase's start) or `at: sustained+30s`.
bool read_at(YamlReader& reader, const Field& field, const std::vector<Phase>& phases, FaultEntry& fault) {
  auto text = reader.read_string(field);
  if (!text) return false;
  if (auto absolute = parse_duration(*text)) {
    fault.phase_offset = *absolute;
    return true;
  }
  const size_t plus = text->rfind('+');
  const std::string phase_name = text->substr(0, plus);
  for (size_t i = 0; i < phases.size(); ++i) {
    if (phases[i].name != phase_name) continue;
    fault.phase = i;
    if (plus == std::string::npos) return true;
    auto offset = parse_duration(std::string_view(*text).substr(plus + 1));
    if (!offset) {
      reader.error(reader.where_value(field), "at: " + offset.error().message);
      return false;
    }
    fault.phase_offset = *offset;
    return true;
  }
  std::string names;
  for (const Phase& phase : phases) names += (names.empty() ? "" : ", ") + phase.name;
  reader.error(reader.where_value(field), "at must be a duration (90s) or PHASE+DURATION (sustained+30s) with a "
                                          "phase of this plan (" + names + "), found '" + *text + "'");
  return false;
}

void read_proxy_fields(YamlReader& reader, const MapFields& map, FaultEntry& fault) {
  if (const Field* field = map.find("fraction")) {
    auto fraction = reader.read_number(*field);
    if (fraction && !(*fraction >= 0 && *fraction <= 1)) {
      reader.error(reader.where_value(*field), "fraction must be from 0 to 1, found " + field->value.Scalar());
    } else if (fraction) {
      fault.fraction = *fraction;
    }
  }
  if (const Field* field = map.find("direction")) {
    auto direction = reader.read_string(*field);
    if (direction && *direction != "both" && *direction != "upstream" && *direction != "downstream") {
      reader.error(reader.where_value(*field), "direction must be both, upstream or downstream, found '" + *direction + "'");
    } else if (direction) {
      fault.direction = *direction;
    }
  }
  if (const Field* field = map.find("ms")) fault.latency = read_ms_or_duration(reader, *field).value_or(Duration{0});
  if (const Field* field = map.find("latency")) fault.latency = reader.read_duration(*field).value_or(Duration{0});
  if (const Field* field = map.find("jitter")) fault.jitter = read_ms_or_duration(reader, *field).value_or(Duration{0});
  if (const Field* field = map.find("bytes_per_s")) {
    fault.bytes_per_s = static_cast<uint64_t>(reader.read_whole(*field, "bytes_per_s", 1, int64_t{1} << 40).value_or(0));
  }
  if (const Field* field = map.find("on_end")) {
    auto on_end = reader.read_string(*field);
    if (on_end && *on_end != "release" && *on_end != "drop") {
      reader.error(reader.where_value(*field), "on_end must be release or drop, found '" + *on_end + "'");
    } else if (on_end) {
      fault.on_end = *on_end;
    }
  }
  if (const Field* field = map.find("delay")) {
    if (auto delay = reader.read_positive_duration(*field, "delay")) fault.close_delay = *delay;
  }
  const SourceLocation where = reader.where(map.node());
  if (fault.kind == Kind::kLatency && !map.find("ms") && !map.find("latency") && !map.find("jitter")) {
    reader.error(where, "a latency fault needs ms (or latency) and/or jitter, like { kind: latency, ms: 200 }");
  }
  if (fault.kind == Kind::kBandwidth && !map.find("bytes_per_s")) reader.require(map, "bytes_per_s");
  if (fault.kind == Kind::kSlowClose && !map.find("delay")) reader.require(map, "delay");
}

void read_process_fields(YamlReader& reader, const MapFields& map, FaultEntry& fault) {
  const SourceLocation where = reader.where(map.node());
  const std::string kind(to_string(fault.kind));
  if (fault.kind == Kind::kExec) {
    const Field* command = map.find("command");
    const Field* exec = map.find("exec");
    if (command && exec) reader.error(reader.where(exec->key_node), "an exec fault takes command or exec, not both");
    if (!command && !exec) reader.error(where, "an exec fault needs command: [argv] (the command run at `at`)");
    if (const Field* field = command ? command : exec) fault.command = read_argv(reader, *field).value_or(fault.command);
    return;
  }
  const Field* pid = map.find("target_pid");
  const Field* command = map.find("command");
  if (pid && command) reader.error(reader.where(command->key_node), "a " + kind + " fault takes target_pid or command, not both");
  if (!pid && !command) {
    reader.error(where, "a " + kind + " fault needs target_pid: PID, or command: [argv] (a process surge starts before "
                        "the run)");
  }
  if (pid) fault.target_pid = static_cast<int>(reader.read_whole(*pid, "target_pid", 2, INT32_MAX).value_or(0));
  if (command) fault.command = read_argv(reader, *command).value_or(fault.command);
  if (const Field* field = map.find("signal")) fault.signal = read_signal(reader, *field).value_or(0);
  if (const Field* field = map.find("restart")) fault.restart = read_argv(reader, *field).value_or(fault.restart);
  if (fault.kind == Kind::kKill && map.find("restart") && !map.find("for")) {
    reader.error(reader.where(map.find("restart")->key_node), "restart needs for: the time between the kill and the restart");
  }
  if (fault.kind == Kind::kKill && map.find("for") && !map.find("restart")) {
    reader.error(reader.where(map.find("for")->key_node), "for on a kill fault is the time until restart; add restart: [argv]");
  }
}

std::optional<FaultEntry> read_fault(YamlReader& reader, const YAML::Node& node, const Plan& plan) {
  auto map = reader.read_map(node, "fault",
                             {"kind", "at", "for", "stable", "fraction", "direction", "ms", "latency", "jitter",
                              "bytes_per_s", "on_end", "delay", "target_pid", "command", "signal", "restart", "exec"});
  if (!map) return std::nullopt;
  FaultEntry fault;
  fault.where = reader.where(node);
  const Field* kind_field = reader.require(*map, "kind");
  auto kind_name = kind_field ? reader.read_string(*kind_field) : std::nullopt;
  if (!kind_name) return std::nullopt;
  const KindInfo* info = nullptr;
  for (const KindInfo& candidate : kind_table()) {
    if (candidate.name == *kind_name) info = &candidate;
  }
  if (!info) {
    reader.error(reader.where_value(*kind_field),
                 "unknown fault kind '" + *kind_name + "'; expected one of: " + kind_names());
    return std::nullopt;
  }
  fault.kind = info->kind;
  bool fields_apply = true;
  for (const Field& field : map->fields()) {
    if (field.key == "kind" || field.key == "at" || field.key == "stable") continue;
    if (std::find(info->fields.begin(), info->fields.end(), field.key) != info->fields.end()) continue;
    std::string takes = "kind, at, stable";
    for (std::string_view name : info->fields) takes += ", " + std::string(name);
    reader.error(reader.where(field.key_node), "field '" + field.key + "' does not apply to a " + *kind_name +
                                                   " fault; it takes: " + takes);
    fields_apply = false;
  }
  if (!fields_apply) return std::nullopt;
  if (const Field* field = reader.require(*map, "at")) {
    if (read_at(reader, *field, plan.phases, fault) && fault.at(plan.phases) >= plan.total_duration()) {
      reader.error(reader.where_value(*field), "at is past the run's end: the fault would start " +
                                                   format_seconds(fault.at(plan.phases)) + " after the start of a " +
                                                   format_seconds(plan.total_duration()) + " run");
    }
  }
  if (const Field* field = map->find("for")) {
    if (auto duration = reader.read_positive_duration(*field, "for")) fault.duration = *duration;
  }
  if (const Field* field = map->find("stable")) {
    if (auto stable = reader.read_positive_duration(*field, "stable")) fault.stable = *stable;
  }
  if (fault.is_proxy_fault()) {
    if (!plan.proxy) {
      reader.error(reader.where_value(*kind_field), "a " + *kind_name + " fault acts on surge's proxy; add proxy: "
                                                    "{ listen: 127.0.0.1:PORT } to the plan");
    }
    read_proxy_fields(reader, *map, fault);
  } else {
    read_process_fields(reader, *map, fault);
  }
  return fault;
}

}  // namespace

void read_proxy(YamlReader& reader, const Field& field, Plan& plan) {
  auto map = reader.read_map(field, "proxy", {"listen"});
  if (!map) return;
  const Field* listen = reader.require(*map, "listen");
  auto text = listen ? reader.read_string(*listen) : std::nullopt;
  if (!text) return;
  auto address = net::parse_numeric_address(*text);
  if (!address) {
    reader.error(reader.where_value(*listen), "proxy listen: " + address.error().message);
    return;
  }
  // The workers are forked before the proxy binds (so none of them holds the listening socket, which would
  // keep it accepting through a refuse fault): they must know the port in advance.
  if (address->port() == 0) {
    reader.error(reader.where_value(*listen), "proxy listen needs a port other than 0, like 127.0.0.1:18080");
    return;
  }
  plan.proxy = ProxySettings{*address, reader.where(field.key_node)};
}

void read_faults(YamlReader& reader, const Field& field, Plan& plan) {
  auto items = reader.read_sequence(field);
  for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
    if (auto fault = read_fault(reader, item, plan)) plan.faults.push_back(std::move(*fault));
  }
}

Duration FaultEntry::at(const std::vector<Phase>& phases) const {
  Duration start{0};
  for (size_t i = 0; i < phase && i < phases.size(); ++i) start += phases[i].duration;
  return start + phase_offset;
}

std::string_view to_string(FaultEntry::Kind kind) {
  for (const KindInfo& info : kind_table()) {
    if (info.kind == kind) return info.name;
  }
  return "unknown";
}

}  // namespace surge::plan
