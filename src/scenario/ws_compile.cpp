// ws steps compiled: the connect step's target and upgrade templates, the send step's message template, and
// the expected message's contains texts, JSON paths and conditions.
#include "scenario/ws_compile.h"

#include <cctype>

namespace surge::scenario {
namespace {

std::string location(const plan::SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": ";
}

core::Result<templating::Template> compile(const std::string& text, const templating::Scope& scope,
                                           templating::Escape escape, const plan::SourceLocation& where) {
  auto compiled = templating::compile_template(text, scope, escape);
  if (!compiled) return core::fail(location(where) + compiled.error().message);
  return std::move(compiled).value();
}

// The connect URL: a path joins the target (its host, its path prefix; an https:// target makes it wss://),
// ws://host:port/path and wss://host:port/path name their own host.
core::Result<void> compile_connect(const plan::WsStep& step, const proto::http::Url& base,
                                   const templating::Scope& variables, const InternTarget& intern,
                                   CompiledWsStep& out) {
  proto::http::Url url = base;
  std::string path = step.url;
  bool secure = step.url.starts_with("wss://");
  if (secure || step.url.starts_with("ws://")) {
    size_t host = secure ? 6 : 5;
    size_t slash = step.url.find('/', host);
    auto parsed = proto::http::parse_url((secure ? "https://" : "http://") +
                                         step.url.substr(host, slash == std::string::npos ? std::string::npos : slash - host) + "/");
    if (!parsed) return core::fail(location(step.url_where) + parsed.error().message);
    url = std::move(parsed).value();
    path = slash == std::string::npos ? "/" : step.url.substr(slash);
  } else if (!base.target.empty() && base.target != "/") {
    path = (base.target.back() == '/' ? base.target.substr(0, base.target.size() - 1) : base.target) + path;
  }
  auto target = intern(url, step.url_where);
  if (!target) return core::fail(target.error().message);
  out.target = *target;
  out.host_header = url.host_header;
  out.host = url.host;
  for (char& c : out.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.is_secure = url.scheme == "https";
  auto compiled = compile(path, variables, templating::Escape::kUrl, step.url_where);
  if (!compiled) return core::fail(compiled.error().message);
  out.path = std::move(compiled).value();
  for (const plan::Header& header : step.headers) {
    auto value = compile(header.value, variables, templating::Escape::kNone, header.where);
    if (!value) return core::fail(value.error().message);
    out.headers.emplace_back(header.name + ": ", std::move(value).value());
  }
  out.subprotocols = step.subprotocols;
  return {};
}

}  // namespace

core::Result<std::unique_ptr<CompiledWsStep>> compile_ws_step(const plan::WsStep& step, const plan::Plan& plan,
                                                              const proto::http::Url& base,
                                                              const templating::Scope& variables,
                                                              const InternTarget& intern) {
  auto out = std::make_unique<CompiledWsStep>();
  out->action = step.action;
  out->timeout_ns = step.timeout.value_or(plan.timeouts.ws_receive.value_or(plan.request_timeout)).count();
  out->close_code = step.close_code;
  out->binary = step.binary;
  out->expects = step.expects;
  out->contains = step.contains;
  if (step.action == plan::WsStep::Action::kConnect) {
    auto connect = compile_connect(step, base, variables, intern, *out);
    if (!connect) return core::fail(connect.error().message);
  }
  if (step.rpc) {
    out->rpc.calls = step.rpc->calls;
    out->rpc.batch = step.rpc->batch;
    out->rpc.wants_result = step.rpc->wants_result && step.rpc->calls > 0;
  }
  if (step.action == plan::WsStep::Action::kSend) {
    // A JSON-RPC message is JSON: values rendered into it are JSON-escaped, as in a jsonrpc step's POST body.
    auto escape = step.rpc ? templating::Escape::kJson : templating::Escape::kNone;
    auto message = compile(step.message, variables, escape, step.message_where);
    if (!message) return core::fail(message.error().message);
    out->message = std::move(message).value();
  }
  for (const auto& [text, expected] : step.json) {
    auto path = extract::compile_json_path(text);
    if (!path) return core::fail(location(step.where) + "JSON path '" + text + "': " + path.error().message);
    out->json.emplace_back(std::move(path).value(), expected);
  }
  for (const std::string& text : step.conditions) {
    auto condition = extract::compile_condition(text);
    if (!condition) return core::fail(location(step.where) + "condition '" + text + "': " + extract::describe(condition.error()));
    out->conditions.push_back(std::move(condition).value());
  }
  for (const plan::Capture& capture : step.captures) {  // optional JSON paths only (mcp list's nextCursor)
    auto path = extract::compile_json_path(capture.source);
    if (!path) return core::fail(location(capture.where) + "JSON path '" + capture.source + "': " + path.error().message);
    CompiledCapture entry;
    entry.slot = *variables.find(capture.variable);
    entry.path = std::move(path).value();
    entry.optional = true;
    out->captures.push_back(std::move(entry));
  }
  return out;
}

}  // namespace surge::scenario
