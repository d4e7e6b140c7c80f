// Compiles a `ws` step of the plan into what the WebSocket session sends and waits for (compiled_plan.cpp
// calls it for every ws step).
#pragma once

#include <functional>
#include <memory>

#include "core/result.h"
#include "plan/plan.h"
#include "proto/http/url.h"
#include "scenario/compiled_plan.h"

namespace surge::scenario {

// intern: the index of a host's resolved address in CompiledPlan::targets (adding it when new).
using InternTarget = std::function<core::Result<size_t>(const proto::http::Url&, const plan::SourceLocation&)>;

core::Result<std::unique_ptr<CompiledWsStep>> compile_ws_step(const plan::WsStep& step, const plan::Plan& plan,
                                                              const proto::http::Url& base,
                                                              const templating::Scope& variables,
                                                              const InternTarget& intern);

}  // namespace surge::scenario
