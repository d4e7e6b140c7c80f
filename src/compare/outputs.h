// The files surge compare writes (--out KIND=FILE: json, html, junit), each written whole to a temporary
// file and renamed, as the run's outputs are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compare/comparison.h"
#include "core/result.h"

namespace surge::compare {

struct CompareOutput {
  std::string kind;  // json, html, junit
  std::string path;
};

// Parses "html=compare.html"; an unknown kind or a missing path is an error naming the kinds.
core::Result<CompareOutput> parse_compare_output(std::string_view text);

// The file's content for one kind.
std::string render_compare_output(const Comparison& comparison, std::string_view kind);

// Writes every output; each failure's reason goes to stderr. Returns false when any could not be written
// (the others are still written).
bool write_compare_outputs(const Comparison& comparison, const std::vector<CompareOutput>& outputs);

}  // namespace surge::compare
