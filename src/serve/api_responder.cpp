// The bodies of the CodePal API: small fixed JSON documents, made deterministic so tests can compare bytes,
// with the request's own bytes (user, Authorization, repository id, query) copied in where they belong.
#include "serve/api_responder.h"

#include "serve/api_json.h"
#include "serve/api_routes.h"
#include "text/json_string.h"

namespace surge::serve {
namespace {

struct Answer {
  uint16_t status = 200;
  bool stream = false;  // a completion sent as an event stream
};

constexpr std::string_view kNotAnObject = R"({"error":"the body must be a JSON object"})";

// Session tokens are "tok-" + the user as sent, so a test can tell which login a token came from.
Answer login(std::string_view body, std::string& out) {
  text::json::JsonValue user;
  if (!read_api_object(body, "user", &user) || !user.is_string() || user.string_body().empty() ||
      user.string_body().size() > kMaxApiUserBytes) {
    out += R"({"error":"expected {\"user\": a non-empty string of at most 256 bytes}"})";
    return {400};
  }
  out.append(R"({"token":"tok-)")
      .append(user.string_body())
      .append(R"(","user":")")
      .append(user.string_body())
      .append(R"("})");
  return {};
}

Answer whoami(std::string_view authorization, std::string& out) {
  if (authorization.empty()) {
    out += R"({"error":"missing Authorization"})";
    return {401};
  }
  out += R"({"authorization":")";
  text::json::append_escaped(out, authorization);
  out += R"("})";
  return {};
}

// The raw value of the first q= parameter of a query; false when there is none.
bool find_q(std::string_view query, std::string_view& q) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (param.starts_with("q=")) {
      q = param.substr(2);
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

Answer repos(std::string_view target, std::string& out) {
  size_t question = target.find('?');
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  RepoPath repo;
  if (!parse_repo_path(target.substr(0, question), repo)) {  // routing checked it already
    out += R"({"error":"no such repository route"})";
    return {404};
  }
  std::string_view q;
  if (repo.action == RepoAction::kSearch && !find_q(query, q)) {
    out += R"({"error":"missing q"})";
    return {400};
  }
  out.append(R"({"repo":")").append(repo.id);  // the id's characters need no escaping
  switch (repo.action) {
    case RepoAction::kFiles:
      out += R"(","files":["README.md","src/main.cpp","src/util.cpp"]})";
      break;
    case RepoAction::kSearch:
      out += R"(","query":")";
      text::json::append_escaped(out, q);
      out += R"(","matches":[{"path":"src/main.cpp","line":12},{"path":"src/util.cpp","line":3}]})";
      break;
    case RepoAction::kIndex:
      out += R"(","indexing":true,"files":3})";
      break;
  }
  return {};
}

// The content routes take an optional JSON object; /v1/complete streams when it says "stream": true.
Answer content(Route route, std::string_view context, std::string_view body, std::string& out) {
  text::json::JsonValue stream;
  if (!body.empty() && !read_api_object(body, "stream", &stream)) {
    out += kNotAnObject;
    return {400};
  }
  switch (route) {
    case Route::kApiComplete:
      if (stream.type == text::json::JsonType::kTrue) {
        out += "data: {\"delta\":\"    return\"}\n\ndata: {\"delta\":\" a + b;\"}\n\ndata: [DONE]\n\n";
        return {200, true};
      }
      out += R"({"model":"codepal-small","completion":"    return a + b;\n","tokens":7})";
      return {};
    case Route::kApiHandoff:
      out += R"({"status":"accepted","from":"planner","to":"coder","handoff_id":"h-1"})";
      return {};
    case Route::kApiOptimize:
      out += R"({"optimized":true,"platforms":["linux-x86_64","linux-arm64","darwin-arm64"],"speedup":1.8})";
      return {};
    default:
      return repos(context, out);
  }
}

Answer render(Route route, std::string_view context, std::string_view body, std::string& out) {
  if (route == Route::kApiLogin) return login(body, out);
  if (route == Route::kApiWhoami) return whoami(context, out);
  return content(route, context, body, out);
}

bool is_content_route(Route route) {
  return route == Route::kApiComplete || route == Route::kApiHandoff || route == Route::kApiOptimize ||
         route == Route::kApiRepos;
}

}  // namespace

size_t save_api_context(Route route, std::string_view target, std::string_view authorization,
                        std::string& owned) {
  std::string_view context = route == Route::kApiRepos    ? target
                             : route == Route::kApiWhoami ? authorization
                                                          : std::string_view();
  owned.append(context);
  return context.size();
}

ApiResponder::ApiResponder(double hit_ratio) : cache_(hit_ratio) { scratch_.reserve(4096); }

void ApiResponder::answer(ResponsePlan& plan, std::string& owned, size_t offset, size_t context_bytes) {
  std::string_view saved(owned.data() + offset, owned.size() - offset);
  scratch_.clear();
  Answer answer = render(plan.route, saved.substr(0, context_bytes), saved.substr(context_bytes), scratch_);
  owned.resize(offset);
  owned.append(scratch_);
  plan.status = answer.status;
  plan.body_bytes = scratch_.size();
  if (answer.status == 200 && is_content_route(plan.route)) plan.cache = cache_.next();
  if (answer.stream) {
    plan.content_type = "text/event-stream";
    // RFC 9112 §6.1: an HTTP/1.0 client cannot read chunked framing. Only here is the stream known, so this
    // is plan_response's rule again, in the form that cannot tell 1.0 from a 1.1 "Connection: close".
    if (!plan.close_after && !plan.keep_alive_10) plan.framing = Framing::kChunked;
  }
}

}  // namespace surge::serve
