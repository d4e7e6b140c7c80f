// The /v1/* routes of `surge serve` (listed in api_routes.h): path and method to a plan. Answers that need
// the request (its body, a field, the target) are rendered later by ApiResponder; refusals are static text.
#include "serve/api_routes.h"

namespace surge::serve {
namespace {

constexpr std::string_view kJson = "application/json";

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRepoIdBytes) return false;
  for (char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

ResponsePlan json_text(Route route, uint16_t status, std::string_view body) {
  ResponsePlan plan;
  plan.route = route;
  plan.status = status;
  plan.text = body;
  plan.body_bytes = body.size();
  plan.content_type = kJson;
  return plan;
}

ResponsePlan answered_later(Route route) {
  ResponsePlan plan;
  plan.route = route;
  plan.source = BodySource::kOwned;
  plan.action = Action::kApi;
  plan.content_type = kJson;
  return plan;
}

bool is_read(std::string_view method) { return method == "GET" || method == "HEAD"; }

// The route answers `route` when the method fits, 405 (counted under the route) when it does not.
ResponsePlan with_method(Route route, bool method_fits) {
  if (!method_fits) return json_text(route, 405, R"({"error":"method not allowed"})");
  return answered_later(route);
}

ResponsePlan repo_plan(std::string_view method, std::string_view path) {
  RepoPath repo;
  if (!parse_repo_path(path, repo))
    return json_text(Route::kApiRepos, 404, R"({"error":"no such repository route"})");
  bool fits = repo.action == RepoAction::kIndex ? method == "POST" : is_read(method);
  return with_method(Route::kApiRepos, fits);
}

}  // namespace

bool parse_repo_path(std::string_view path, RepoPath& out) {
  constexpr std::string_view kPrefix = "/v1/repos/";
  if (!path.starts_with(kPrefix)) return false;
  path.remove_prefix(kPrefix.size());
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view id = path.substr(0, slash);
  std::string_view action = path.substr(slash + 1);
  if (!is_valid_id(id)) return false;
  if (action == "files") {
    out.action = RepoAction::kFiles;
  } else if (action == "search") {
    out.action = RepoAction::kSearch;
  } else if (action == "index") {
    out.action = RepoAction::kIndex;
  } else {
    return false;
  }
  out.id = id;
  return true;
}

ResponsePlan api_plan(std::string_view method, std::string_view path) {
  bool post = method == "POST";
  if (path == "/v1/login") return with_method(Route::kApiLogin, post);
  if (path == "/v1/whoami") return with_method(Route::kApiWhoami, is_read(method));
  if (path == "/v1/complete") return with_method(Route::kApiComplete, post);
  if (path == "/v1/agents/handoff") return with_method(Route::kApiHandoff, post);
  if (path == "/v1/optimize") return with_method(Route::kApiOptimize, post);
  if (path.starts_with("/v1/repos/")) return repo_plan(method, path);
  return json_text(Route::kOther, 404, R"({"error":"not found"})");
}

}  // namespace surge::serve
