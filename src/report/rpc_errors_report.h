// JSON-RPC error objects by code in the reports: a step's `rpc_errors` block of results.json and the
// summary's "JSON-RPC errors" lines (docs/results.md, docs/mcp.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "metrics/rpc_errors.h"
#include "results/run_result.h"

namespace surge::report {

// {"-32601": 3, "-32000": 1, "other": 2}: counts by code, "other" only when codes overflowed the table.
nlohmann::json rpc_errors_block(const metrics::RpcErrorCounts& errors);

// One line per step that got error objects ("  JSON-RPC errors  rpc / jsonrpc add: -32601 x3"), under a
// heading; "" when no step got any.
std::string rpc_errors_summary(const results::RunResult& result);

}  // namespace surge::report
