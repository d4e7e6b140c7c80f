// Reading a JSON document a user names on the command line (surge report, surge merge).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace surge::cli {

// The file as JSON, or a one-line reason naming it: unreadable, or not JSON (with nlohmann's line and column).
core::Result<nlohmann::json> read_json_file(const std::string& path);

}  // namespace surge::cli
