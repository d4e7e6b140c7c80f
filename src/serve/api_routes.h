// Routing of the CodePal example API (examples/codepal.yaml), the /v1/* paths of `surge serve`: which
// route, whether the method fits, and the plan that has the connection render the answer (api_responder.h).
//
//   POST /v1/login                 {"user":"u1"} -> {"token":"tok-u1","user":"u1"}; 400 on another body
//   GET  /v1/whoami                {"authorization":"<the Authorization value as sent>"}; 401 without one
//   POST /v1/complete              a code completion; with {"stream":true} an event stream (chunked)
//   POST /v1/agents/handoff        an accepted handoff
//   POST /v1/optimize              an optimization report
//   GET  /v1/repos/{id}/files      the repository's files
//   GET  /v1/repos/{id}/search?q=  matches for q (as sent, not percent-decoded)
//   POST /v1/repos/{id}/index      an index job
// The last six are the content routes: their 200s carry X-Cache (api_cache.h). Their request bodies, when
// not empty, must be a JSON object (else 400). GET routes take HEAD too. A wrong method is 405 and an
// unknown repository action 404, both counted under the route; other /v1/ paths are 404 under "other".
#pragma once

#include <string_view>

#include "serve/routes.h"

namespace surge::serve {

// What a /v1/repos/{id}/... path asks for.
enum class RepoAction : uint8_t { kFiles, kSearch, kIndex };

struct RepoPath {
  std::string_view id;  // 1..kMaxRepoIdBytes of [A-Za-z0-9._-]
  RepoAction action = RepoAction::kFiles;
};

inline constexpr size_t kMaxRepoIdBytes = 64;

// Parses "/v1/repos/{id}/files|search|index" (no query); false for anything else.
bool parse_repo_path(std::string_view path, RepoPath& out);

// The plan for a path starting with "/v1/" (called by plan_response). A request the API will answer has
// Action::kApi and BodySource::kOwned: the connection keeps the head's context and the body, and
// ApiResponder fills in status and body when the request is complete.
ResponsePlan api_plan(std::string_view method, std::string_view path);

}  // namespace surge::serve
