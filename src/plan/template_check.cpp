// Compiles every template, JSON path, regex and condition of a plan once at load, so a bad one is reported
// with its file:line:column before anything runs. scenario/ compiles them again for the run (they cannot fail
// then); keeping the compiled forms out of plan::Plan keeps the model plain data.
#include <variant>

#include "extract/condition.h"
#include "extract/json_path.h"
#include "extract/regex.h"
#include "plan/plan_reader.h"
#include "plan/variables.h"
#include "templating/template.h"

namespace surge::plan {
namespace {

// The position of a byte inside a scalar: exact for plain one-line scalars, the scalar's start otherwise.
SourceLocation at_offset(SourceLocation where, size_t offset, bool exact) {
  if (exact && where.line > 0) where.column += static_cast<int>(offset);
  return where;
}

class ExpressionChecker {
 public:
  ExpressionChecker(YamlReader& reader, const Plan& plan) : reader_(reader), scope_(variable_scope(plan)) {}

  void check_template(const std::string& text, const SourceLocation& where, templating::Escape escape,
                      bool exact_offsets = true) {
    auto compiled = templating::compile_template(text, scope_, escape);
    if (!compiled) reader_.error(at_offset(where, compiled.error().offset, exact_offsets), compiled.error().message);
  }

  template <typename Compile>
  void check(Compile compile, const std::string& text, const SourceLocation& where, std::string_view what) {
    auto compiled = compile(text);
    if (!compiled) {
      reader_.error(at_offset(where, compiled.error().offset, true),
                    std::string(what) + " '" + text + "': " + compiled.error().message);
    }
  }

  void check_http(const HttpStep& step) {
    check_template(step.url, step.url_where, templating::Escape::kUrl);
    for (const Header& header : step.headers) check_template(header.value, header.where, templating::Escape::kNone);
    templating::Escape body_escape = step.body_is_json   ? templating::Escape::kJson
                                     : step.body_is_form ? templating::Escape::kUrl
                                                         : templating::Escape::kNone;
    // A json or form body is generated text: offsets in it do not map onto the YAML.
    check_template(step.body, step.body_where, body_escape, !step.body_is_json && !step.body_is_form);
    for (const Check& check : step.checks) check_check(check);
    for (const Capture& capture : step.captures) {
      if (capture.kind == Capture::Kind::kJsonPath) check(extract::compile_json_path, capture.source, capture.where, "JSON path");
      if (capture.kind == Capture::Kind::kRegex) check(extract::compile_regex, capture.source, capture.where, "regex");
    }
  }

  void check_check(const Check& check_entry) {
    using Kind = Check::Kind;
    if (check_entry.kind == Kind::kJson || check_entry.kind == Kind::kJsonExists) {
      check(extract::compile_json_path, check_entry.subject, check_entry.where, "JSON path");
    }
    if (check_entry.kind == Kind::kCondition) {
      check(extract::compile_condition, check_entry.subject, check_entry.where, "condition");
    }
  }

  void check_ws(const WsStep& ws) {
    if (!ws.url.empty()) check_template(ws.url, ws.url_where, templating::Escape::kUrl);
    for (const Header& header : ws.headers) check_template(header.value, header.where, templating::Escape::kNone);
    check_template(ws.message, ws.message_where, templating::Escape::kNone);
    for (const auto& [path, value] : ws.json) check(extract::compile_json_path, path, ws.where, "JSON path");
  }

  void check_loop(const LoopStep& loop) {
    if (!loop.while_variable.empty() && !scope_.find(loop.while_variable)) {
      reader_.error(loop.where, "loop while '" + loop.while_variable +
                                    "': no capture or feeder column of that name; defined: " + defined());
    }
  }

  void check_metric(const CustomMetric& metric) {
    if (metric.kind == CustomMetric::Kind::kTrend) check(extract::compile_value, metric.expr, metric.where, "trend");
    else check(extract::compile_condition, metric.expr, metric.where, metric.kind == CustomMetric::Kind::kRate ? "rate" : "counter");
  }

 private:
  std::string defined() const {
    std::string out;
    for (const std::string& name : scope_.names()) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "(none)" : out;
  }

  YamlReader& reader_;
  templating::Scope scope_;
};

}  // namespace

templating::Scope variable_scope(const Plan& plan) {
  templating::Scope scope;
  for (const Feeder& feeder : plan.feeders) {
    for (const std::string& column : feeder.columns) scope.define(feeder.name + "." + column);
  }
  for (const Scenario& scenario : plan.scenarios) {
    for (const Step& step : scenario.steps) {
      if (const auto* http = std::get_if<HttpStep>(&step)) {
        for (const Capture& capture : http->captures) scope.define(capture.variable);
      }
      if (const auto* ws = std::get_if<WsStep>(&step)) {
        for (const Capture& capture : ws->captures) scope.define(capture.variable);
      }
    }
  }
  return scope;
}

void check_expressions(YamlReader& reader, const Plan& plan) {
  ExpressionChecker checker(reader, plan);
  for (const Scenario& scenario : plan.scenarios) {
    for (const Step& step : scenario.steps) {
      if (const auto* http = std::get_if<HttpStep>(&step)) {
        for (const Capture& capture : http->captures) {
          if (templating::is_builtin_name(capture.variable)) {
            reader.error(capture.variable_where, "capture '" + capture.variable + "': the name is a built-in template value; "
                                        "choose another");
          }
        }
        checker.check_http(*http);
      }
      if (const auto* loop = std::get_if<LoopStep>(&step)) checker.check_loop(*loop);
      if (const auto* ws = std::get_if<WsStep>(&step)) checker.check_ws(*ws);
    }
  }
  for (const Header& header : plan.headers) checker.check_template(header.value, header.where, templating::Escape::kNone);
  for (const CustomMetric& metric : plan.metrics) {
    checker.check_metric(metric);
    for (const std::string& name : metric.steps) {
      bool known = false;
      for (const Scenario& scenario : plan.scenarios) {
        for (const Step& step : scenario.steps) {
          const auto* http = std::get_if<HttpStep>(&step);
          known = known || (http && http->name == name);
        }
      }
      if (!known) reader.error(metric.where, "metric '" + metric.name + "': no http step is named '" + name + "'");
    }
  }
}

}  // namespace surge::plan
