// Compiles plan::Plan into CompiledPlan: resolves every distinct host:port once, renders each HTTP step's
// request bytes or compiles its templates (plan headers first, step headers after, so a step can override a
// plan-wide header), compiles checks, captures and custom metrics, and lays loops out as jumps.
#include "scenario/compiled_plan.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <variant>

#include "net/source_addresses.h"
#include "plan/variables.h"
#include "scenario/ws_compile.h"
#include "proto/http/url.h"

namespace surge::scenario {
namespace {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

int64_t to_ns(plan::Duration duration) { return duration.count(); }

bool same_name(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

class Compiler {
 public:
  Compiler(const plan::Plan& plan, proto::http::Url base) : plan_(plan), base_(std::move(base)) {}

  core::Result<CompiledPlan> run() {
    out_.variables = plan::variable_scope(plan_);
    out_.timeouts = plan_.timeouts;
    out_.schedule_slack_ns = plan_.schedule_slack.count();
    out_.limits = plan_.limits;
    out_.source_addrs = plan_.source_addrs;
    for (const plan::Feeder& feeder : plan_.feeders) {
      out_.feeders.push_back({&feeder, *out_.variables.find(feeder.name + "." + feeder.columns.front())});
    }
    for (const plan::CustomMetric& metric : plan_.metrics) {
      auto compiled = compile_metric(metric);
      if (!compiled) return core::fail(compiled.error().message);
      out_.metrics.push_back(std::move(compiled).value());
    }
    for (const plan::Scenario& scenario : plan_.scenarios) {
      CompiledScenario compiled{scenario.name, scenario.weight, {}, scenario.cookies};
      auto steps = compile_steps(scenario, 0, scenario.steps.size(), "", compiled.steps);
      if (!steps) return core::fail(steps.error().message);
      out_.scenarios.push_back(std::move(compiled));
    }
    if (!out_.groups.empty()) out_.failure_slot = out_.loop_slots++;
    if (auto tls = compile_tls(); !tls) return core::fail(tls.error().message);
    out_.responses_can_wait = !out_.has_tls && !out_.has_ws &&
                              std::all_of(out_.scenarios.begin(), out_.scenarios.end(), [](const CompiledScenario& s) {
                                return s.steps.size() == 1 && s.steps.front().kind == CompiledStep::Kind::kHttp;
                              });
    return std::move(out_);
  }

 private:
  template <typename Compiled>
  static core::Result<Compiled> or_fail(core::Result<Compiled, extract::SyntaxError> compiled, const std::string& text,
                                        const plan::SourceLocation& where) {
    if (!compiled) return core::fail(location(where) + "'" + text + "': " + compiled.error().message);
    return std::move(compiled).value();
  }

  core::Result<CompiledMetric> compile_metric(const plan::CustomMetric& metric) {
    CompiledMetric compiled{metric.name, metric.steps, metric.kind, std::nullopt, std::nullopt};
    if (metric.kind == plan::CustomMetric::Kind::kTrend) {
      auto value = or_fail(extract::compile_value(metric.expr), metric.expr, metric.where);
      if (!value) return core::fail(value.error().message);
      compiled.value.emplace(std::move(value).value());
    } else {
      auto condition = or_fail(extract::compile_condition(metric.expr), metric.expr, metric.where);
      if (!condition) return core::fail(condition.error().message);
      compiled.condition.emplace(std::move(condition).value());
    }
    return compiled;
  }

  // Plan steps [begin, end) of one scenario (a LoopStep or GroupStep is followed by its body) appended to out;
  // group is the path of the groups they are inside.
  core::Result<void> compile_steps(const plan::Scenario& scenario, size_t begin, size_t end, const std::string& group,
                                   std::vector<CompiledStep>& out) {
    for (size_t i = begin; i < end; ++i) {
      const plan::Step& step = scenario.steps[i];
      if (const auto* loop = std::get_if<plan::LoopStep>(&step)) {
        auto compiled = compile_loop(scenario, *loop, i, group, out);
        if (!compiled) return compiled;
        i += loop->body_steps;
        continue;
      }
      if (const auto* inner = std::get_if<plan::GroupStep>(&step)) {
        auto compiled = compile_group(scenario, *inner, i, group, out);
        if (!compiled) return compiled;
        i += inner->body_steps;
        continue;
      }
      auto compiled_step = compile_step(scenario, step);
      if (!compiled_step) return core::fail(compiled_step.error().message);
      note_rpc_position(step, static_cast<uint32_t>(out.size()), *compiled_step);
      out_.steps.back().group = group;
      out.push_back(std::move(compiled_step).value());
    }
    return {};
  }

  // A group is laid out as markers around its body, like a loop without the jump back: kGroupBegin starts a
  // run, kGroupEnd records it.
  core::Result<void> compile_group(const plan::Scenario& scenario, const plan::GroupStep& group, size_t at,
                                   const std::string& outer, std::vector<CompiledStep>& out) {
    std::string path = outer.empty() ? group.name : outer + "::" + group.name;
    CompiledStep begin;
    begin.kind = CompiledStep::Kind::kGroupBegin;
    begin.stats_index = out_.groups.size();
    begin.loop_slot = out_.loop_slots;
    out_.loop_slots += kGroupSlots;
    out_.groups.push_back({scenario.name, group.name, path});
    CompiledStep end;
    end.kind = CompiledStep::Kind::kGroupEnd;
    end.stats_index = begin.stats_index;
    end.loop_slot = begin.loop_slot;
    out.push_back(std::move(begin));
    auto body = compile_steps(scenario, at + 1, at + 1 + group.body_steps, path, out);
    if (!body) return body;
    out.push_back(std::move(end));
    return {};
  }

  core::Result<void> compile_loop(const plan::Scenario& scenario, const plan::LoopStep& loop, size_t at,
                                  const std::string& group, std::vector<CompiledStep>& out) {
    CompiledStep begin;
    begin.kind = CompiledStep::Kind::kLoopBegin;
    begin.loop_slot = out_.loop_slots++;
    begin.loop_count = loop.count;
    if (!loop.while_variable.empty()) begin.while_slot = out_.variables.find(loop.while_variable);
    size_t begin_index = out.size();
    out.push_back(std::move(begin));
    auto body = compile_steps(scenario, at + 1, at + 1 + loop.body_steps, group, out);
    if (!body) return body;
    CompiledStep end;
    end.kind = CompiledStep::Kind::kLoopEnd;
    end.loop_slot = out[begin_index].loop_slot;
    end.loop_count = loop.count;
    end.while_slot = out[begin_index].while_slot;
    end.jump = static_cast<uint32_t>(begin_index + 1);
    out[begin_index].jump = static_cast<uint32_t>(out.size() + 1);
    out.push_back(std::move(end));
    return {};
  }

  core::Result<CompiledStep> compile_step(const plan::Scenario& scenario, const plan::Step& step) {
    CompiledStep compiled;
    compiled.stats_index = out_.steps.size();
    if (const auto* think = std::get_if<plan::ThinkStep>(&step)) {
      compiled.kind = CompiledStep::Kind::kThink;
      compiled.think_min_ns = to_ns(think->min);
      compiled.think_max_ns = to_ns(think->max);
      compiled.think_exponential = think->exponential;
      out_.steps.push_back({scenario.name, "think", false});
      return compiled;
    }
    if (const auto* ws = std::get_if<plan::WsStep>(&step)) {
      compiled.kind = CompiledStep::Kind::kWs;
      auto intern = [this](const proto::http::Url& url, const plan::SourceLocation& where) {
        return intern_target(url, where);
      };
      auto compiled_ws = compile_ws_step(*ws, plan_, base_, out_.variables, intern);
      if (!compiled_ws) return core::fail(compiled_ws.error().message);
      compiled.ws = std::move(compiled_ws).value();
      out_.has_ws = true;
      out_.steps.push_back({scenario.name, ws->name, true});
      out_.steps.back().is_round_trip = ws->action == plan::WsStep::Action::kSend && ws->expects;
      return compiled;
    }
    const auto& http = std::get<plan::HttpStep>(step);
    proto::http::Url url = base_;
    if (!http.url.empty() && http.url.front() == '/') {
      url.target = join_path(base_.target, http.url);
    } else {
      auto parsed = proto::http::parse_url(http.url);
      if (!parsed) return core::fail(location(http.where) + parsed.error().message);
      url = std::move(parsed).value();
    }
    auto target = intern_target(url, http.where);
    if (!target) return core::fail(target.error().message);

    HeaderList headers;
    for (const plan::Header& header : plan_.headers) add_header(headers, header);
    for (const plan::Header& header : http.headers) add_header(headers, header);
    RequestParts parts{http.method, url.target, url.host_header, headers, http.body,
                       http.body_is_json   ? templating::Escape::kJson
                       : http.body_is_form ? templating::Escape::kUrl
                                           : templating::Escape::kNone};
    auto request = RequestTemplate::compile(parts, out_.variables);
    if (!request) return core::fail(location(http.where) + request.error().message);
    if (request->is_static()) {
      compiled.http.request = request->static_request();
    } else {
      compiled.http.dynamic = std::make_unique<RequestTemplate>(std::move(request).value());
    }
    compiled.http.target = *target;
    compiled.http.host = lower_case(url.host);
    compiled.http.is_https = url.scheme == "https";
    compiled.http.is_head = http.method == "HEAD";
    compiled.http.timeout_ns = to_ns(http.timeout.value_or(plan_.request_timeout));
    if (http.retry) {
      compiled.http.retry_attempts = http.retry->attempts;
      compiled.http.retry_on = http.retry->on;
      compiled.http.retry_backoff_min_ns = to_ns(http.retry->backoff_min);
      compiled.http.retry_backoff_max_ns = to_ns(http.retry->backoff_max);
    }
    compiled.http.expect_status = http.expect_status;
    out_.steps.push_back({scenario.name, http.name, true});
    auto judged = compile_checks(http, compiled.http);
    if (!judged) return core::fail(judged.error().message);
    for (uint32_t i = 0; i < out_.metrics.size(); ++i) {
      const std::vector<std::string>& names = out_.metrics[i].steps;
      if (names.empty() || std::find(names.begin(), names.end(), http.name) != names.end()) {
        compiled.http.metrics.push_back(i);
      }
    }
    compiled.http.needs_response = !compiled.http.checks.empty() || !compiled.http.captures.empty() ||
                                   !compiled.http.metrics.empty() || compiled.http.rpc.calls > 0;
    return compiled;
  }

  // A jsonrpc or mcp request: its checks come first ("jsonrpc id", then "jsonrpc result"), as the step's own.
  void compile_rpc(const plan::RpcCall& rpc, CompiledRpc& compiled) {
    size_t step = out_.steps.size() - 1;
    compiled.calls = rpc.calls;
    compiled.batch = rpc.batch;
    compiled.wants_result = rpc.wants_result && rpc.calls > 0;
    compiled.session = rpc.session;
    if (rpc.session) compiled.session_slot = *out_.variables.find("mcp_session");
    if (rpc.calls == 0) return;
    compiled.id_check = static_cast<uint32_t>(out_.checks.size());
    out_.checks.push_back({step, "jsonrpc id"});
    if (!compiled.wants_result) return;
    compiled.result_check = static_cast<uint32_t>(out_.checks.size());
    out_.checks.push_back({step, "jsonrpc result"});
  }

  // An MCP session step re-initializes from its scenario's initialize step, the last one laid out before it.
  void note_rpc_position(const plan::Step& step, uint32_t index, CompiledStep& compiled) {
    const auto* http = std::get_if<plan::HttpStep>(&step);
    if (http == nullptr || !http->rpc) return;
    if (http->rpc->initialize) initialize_index_ = index;
    compiled.http.rpc.initialize_step = initialize_index_;
  }

  core::Result<void> compile_checks(const plan::HttpStep& http, CompiledHttpStep& compiled) {
    size_t step = out_.steps.size() - 1;
    if (http.rpc) compile_rpc(*http.rpc, compiled.rpc);
    for (const plan::Check& check : http.checks) {
      CompiledCheck entry{check.kind, static_cast<uint32_t>(out_.checks.size()), check.subject, check.expected, {}, {}};
      using Kind = plan::Check::Kind;
      if (check.kind == Kind::kJson || check.kind == Kind::kJsonExists) {
        auto path = or_fail(extract::compile_json_path(check.subject), check.subject, check.where);
        if (!path) return core::fail(path.error().message);
        entry.path = std::move(path).value();
      }
      if (check.kind == Kind::kCondition) {
        auto condition = or_fail(extract::compile_condition(check.subject), check.subject, check.where);
        if (!condition) return core::fail(condition.error().message);
        entry.condition.emplace(std::move(condition).value());
      }
      out_.checks.push_back({step, check.name});
      compiled.checks.push_back(std::move(entry));
    }
    for (const plan::Capture& capture : http.captures) {
      CompiledCapture entry{capture.kind, *out_.variables.find(capture.variable),
                            static_cast<uint32_t>(out_.checks.size()), {}, {}, {}, capture.optional};
      if (capture.kind == plan::Capture::Kind::kHeader) entry.header = capture.source;
      if (capture.kind == plan::Capture::Kind::kJsonPath) {
        auto path = or_fail(extract::compile_json_path(capture.source), capture.source, capture.where);
        if (!path) return core::fail(path.error().message);
        entry.path = std::move(path).value();
      }
      if (capture.kind == plan::Capture::Kind::kRegex) {
        auto regex = or_fail(extract::compile_regex(capture.source), capture.source, capture.where);
        if (!regex) return core::fail(regex.error().message);
        entry.regex.emplace(std::move(regex).value());
      }
      // An optional capture has no check column; the index is never used.
      if (!capture.optional) out_.checks.push_back({step, "capture " + capture.variable});
      if (capture.secret && std::find(out_.secret_slots.begin(), out_.secret_slots.end(), entry.slot) == out_.secret_slots.end()) {
        out_.secret_slots.push_back(entry.slot);
      }
      compiled.captures.push_back(std::move(entry));
    }
    return {};
  }

  static std::string lower_case(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  static void add_header(HeaderList& headers, const plan::Header& header) {
    auto same = [&](const auto& existing) { return same_name(existing.first, header.name); };
    headers.erase(std::remove_if(headers.begin(), headers.end(), same), headers.end());
    headers.emplace_back(header.name, header.value);
  }

  // A step path joins the target's path: target http://h/api + /users -> /api/users.
  static std::string join_path(const std::string& base, const std::string& path) {
    if (base.empty() || base == "/") return path;
    std::string joined = base;
    if (joined.back() == '/') joined.pop_back();
    return joined + path;
  }

  static std::string location(const plan::SourceLocation& where) {
    return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": ";
  }

  core::Result<size_t> intern_target(const proto::http::Url& url, const plan::SourceLocation& /*where*/) {
    bool tls = url.scheme == "https";
    std::string name = (tls ? "https://" : "") + url.host + ":" + std::to_string(url.port);
    for (size_t i = 0; i < out_.target_names.size(); ++i) {
      if (out_.target_names[i] == name) return i;
    }
    auto address = net::resolve(url.host, url.port);
    if (!address) return core::fail(address.error().message);
    out_.targets.push_back(*address);
    out_.target_names.push_back(name);
    out_.tls_names.push_back(!tls ? "" : plan_.tls.server_name.empty() ? url.host : plan_.tls.server_name);
    out_.has_tls = out_.has_tls || tls;
    return out_.targets.size() - 1;
  }

  // The plan's `tls:` for the workers, tried once here so a CA file OpenSSL cannot load stops the run before
  // it starts.
  core::Result<void> compile_tls() {
    using MinVersion = plan::TlsOptions::MinVersion;
    const plan::TlsOptions& tls = plan_.tls;
    out_.tls = {tls.insecure, tls.ca_path,
                tls.min_version == MinVersion::k13   ? net::TlsVersion::k13
                : tls.min_version == MinVersion::k12 ? net::TlsVersion::k12
                                                     : net::TlsVersion::kDefault};
    if (!out_.has_tls) return {};
    auto client = net::TlsClient::create(out_.tls, out_.tls_names);
    if (!client) return core::fail((tls.where.line > 0 ? location(tls.where) : "") + client.error().message);
    return {};
  }

  const plan::Plan& plan_;
  proto::http::Url base_;
  CompiledPlan out_;
  uint32_t initialize_index_ = 0;  // of the last MCP initialize step laid out
};

}  // namespace

core::Result<void> check_source_families(const plan::Plan& plan, const CompiledPlan& compiled) {
  if (compiled.source_addrs.empty()) return {};
  const net::SocketAddress& source = compiled.source_addrs.front();
  for (size_t i = 0; i < compiled.targets.size(); ++i) {
    if (compiled.targets[i].family() == source.family()) continue;
    const plan::SourceLocation& where = plan.source_addrs_where;
    const std::string what = where.line > 0 ? where.file + ":" + std::to_string(where.line) + ":" +
                                                  std::to_string(where.column) + ": source_addrs"
                                            : "surge run: --source-addrs";
    return core::fail(what +
                      " are " + std::string(net::family_name(source.family())) + " (" + net::host_text(source) +
                      ") but the target " + compiled.target_names[i] + " is " +
                      std::string(net::family_name(compiled.targets[i].family())) + " (" +
                      compiled.targets[i].to_string() + "): give source addresses of the target's family");
  }
  return {};
}

core::Result<CompiledPlan> compile_plan(const plan::Plan& plan, const std::string& target_url) {
  auto base = proto::http::parse_url(target_url);
  if (!base) return core::fail(base.error().message);
  return Compiler(plan, std::move(base).value()).run();
}

}  // namespace surge::scenario
