// Compiles plan::Plan into CompiledPlan: resolves every distinct host:port once and renders each HTTP step's
// request bytes (plan headers first, step headers after, so a step can override a plan-wide header).
#include "scenario/compiled_plan.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <variant>

#include "proto/http/request_writer.h"
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
    for (const plan::Scenario& scenario : plan_.scenarios) {
      CompiledScenario compiled{scenario.name, scenario.weight, {}};
      for (const plan::Step& step : scenario.steps) {
        auto compiled_step = compile_step(scenario, step);
        if (!compiled_step) return core::fail(compiled_step.error().message);
        compiled.steps.push_back(std::move(compiled_step).value());
      }
      out_.scenarios.push_back(std::move(compiled));
    }
    return std::move(out_);
  }

 private:
  core::Result<CompiledStep> compile_step(const plan::Scenario& scenario, const plan::Step& step) {
    CompiledStep compiled;
    compiled.stats_index = out_.steps.size();
    if (const auto* think = std::get_if<plan::ThinkStep>(&step)) {
      compiled.kind = CompiledStep::Kind::kThink;
      compiled.think_min_ns = to_ns(think->min);
      compiled.think_max_ns = to_ns(think->max);
      out_.steps.push_back({scenario.name, "think"});
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
    compiled.http.request = proto::http::render_request(http.method, url.target, url.host_header, headers, http.body);
    compiled.http.target = *target;
    compiled.http.is_head = http.method == "HEAD";
    compiled.http.timeout_ns = to_ns(http.timeout.value_or(plan_.request_timeout));
    compiled.http.expect_status = http.expect_status;
    out_.steps.push_back({scenario.name, http.name});
    return compiled;
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

  core::Result<size_t> intern_target(const proto::http::Url& url, const plan::SourceLocation& where) {
    if (url.scheme != "http") {
      return core::fail(location(where) + "https:// targets need TLS, which surge does not support yet");
    }
    std::string name = url.host + ":" + std::to_string(url.port);
    for (size_t i = 0; i < out_.target_names.size(); ++i) {
      if (out_.target_names[i] == name) return i;
    }
    auto address = net::resolve(url.host, url.port);
    if (!address) return core::fail(address.error().message);
    out_.targets.push_back(*address);
    out_.target_names.push_back(name);
    return out_.targets.size() - 1;
  }

  const plan::Plan& plan_;
  proto::http::Url base_;
  CompiledPlan out_;
};

}  // namespace

core::Result<CompiledPlan> compile_plan(const plan::Plan& plan, const std::string& target_url) {
  auto base = proto::http::parse_url(target_url);
  if (!base) return core::fail(base.error().message);
  return Compiler(plan, std::move(base).value()).run();
}

}  // namespace surge::scenario
