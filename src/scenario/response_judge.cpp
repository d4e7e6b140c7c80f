// What a virtual user learns from a response it kept: each `expect` check passes or fails (counted per check),
// each capture sets its variable (a miss fails the capture's check and empties the variable), and every custom
// metric records the response. Runs only for steps that need it; the plain request path never comes here.
#include <string_view>

#include "extract/header.h"
#include "extract/json_value.h"
#include "proto/http/response_split.h"
#include "proto/jsonrpc/sse_reader.h"
#include "scenario/virtual_user.h"

namespace surge::scenario {
namespace {

bool check_holds(const CompiledCheck& check, const extract::ResponseView& response) {
  using Kind = plan::Check::Kind;
  switch (check.kind) {
    case Kind::kHeader: {
      auto value = extract::find_header(response.head, check.subject);
      return value && *value == check.expected;
    }
    case Kind::kContains: return response.body.find(check.subject) != std::string_view::npos;
    case Kind::kJson: {
      auto value = extract::find(check.path, response.body);
      return value && extract::json_equal(*value, check.expected);
    }
    case Kind::kJsonExists: return extract::find(check.path, response.body).has_value();
    case Kind::kCondition: return check.condition->holds(response);
  }
  return false;
}


}  // namespace

// The captured text into out; false when the response does not have it.
bool capture_value(const CompiledCapture& capture, const extract::ResponseView& response, std::string& out) {
  out.clear();
  switch (capture.kind) {
    case plan::Capture::Kind::kHeader: {
      auto value = extract::find_header(response.head, capture.header);
      if (value) out.assign(*value);
      return value.has_value();
    }
    case plan::Capture::Kind::kJsonPath: {
      auto value = extract::find(capture.path, response.body);
      return value && extract::json_to_text(*value, out);
    }
    case plan::Capture::Kind::kRegex: {
      std::string_view group;
      if (!capture.regex->search(response.body, &group)) return false;
      out.assign(group);
      return true;
    }
  }
  return false;
}

// A text/event-stream answer (an MCP server may answer a POST with one) is judged by its last event's data:
// the JSON-RPC message it carries. Other bodies are judged as they are.
std::string_view VirtualUser::event_stream_data(const proto::http::ResponseParts& parts) {
  auto type = extract::find_header(parts.head, "Content-Type");
  if (!type || type->substr(0, 17) != "text/event-stream") return parts.body;
  proto::jsonrpc::SseReader& reader = context_.sse_reader;
  reader.reset();
  std::string& data = context_.sse_data;
  data.clear();
  (void)reader.feed(parts.body, [&](const proto::jsonrpc::SseEvent& event) { data.assign(event.data); });
  return data;
}

bool VirtualUser::judge_response() {
  proto::http::ResponseParts parts = proto::http::split_response(response_, context_.body_scratch);
  extract::ResponseView response{parts.status, parts.head, event_stream_data(parts)};
  bool all_pass = step_->http.rpc.calls == 0 || judge_rpc(response.body);
  metrics::StatsGrid& grid = context_.stats;
  for (const CompiledCheck& check : step_->http.checks) {
    bool holds = check_holds(check, response);
    metrics::CheckCounts& counts = grid.check(request_phase_, check.index);
    ++(holds ? counts.passed : counts.failed);
    all_pass = all_pass && holds;
  }
  for (const CompiledCapture& capture : step_->http.captures) {
    bool found = capture_value(capture, response, variables_[capture.slot]);
    if (capture.optional) continue;
    metrics::CheckCounts& counts = grid.check(request_phase_, capture.check);
    ++(found ? counts.passed : counts.failed);
    all_pass = all_pass && found;
  }
  for (uint32_t i : step_->http.metrics) {
    const CompiledMetric& metric = context_.plan.metrics[i];
    metrics::CustomMetricStats& custom = grid.custom(request_phase_, i);
    if (metric.value) {
      if (auto value = metric.value->of(response)) custom.record_trend(*value);
      continue;
    }
    ++custom.total;
    if (metric.condition->holds(response)) ++custom.hits;
  }
  return all_pass;
}

bool VirtualUser::judge_rpc(std::string_view answer) {
  const CompiledRpc& rpc = step_->http.rpc;
  RpcVerdict verdict = judge_rpc_answer(answer, rpc_first_id_, rpc.calls, rpc.batch, cell().rpc_errors);
  metrics::CheckCounts& ids = context_.stats.check(request_phase_, rpc.id_check);
  ++(verdict.ids_match ? ids.passed : ids.failed);
  if (!rpc.wants_result) return verdict.ids_match;
  metrics::CheckCounts& results = context_.stats.check(request_phase_, rpc.result_check);
  ++(verdict.all_results ? results.passed : results.failed);
  return verdict.ids_match && verdict.all_results;
}

void VirtualUser::begin_reinitialize() {
  if (resume_step_ != 0) return;
  const CompiledRpc& rpc = step_->http.rpc;
  variables_[rpc.session_slot].clear();
  resume_step_ = step_index_ + 1;
  reinit_until_ = rpc.initialize_step + 2;  // initialize, then its notifications/initialized
  step_index_ = rpc.initialize_step - 1;    // next_step() moves on to it (unsigned wrap when it is step 0)
}

}  // namespace surge::scenario
