// Feeder files: CSV (RFC 4180) with a header row, read whole at start-up into rows of strings, so handing a
// row to a virtual user later costs no parsing and no allocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace surge::templating {

using Row = std::vector<std::string>;

struct FeederTable {
  std::vector<std::string> columns;  // the header row, unique and non-empty
  std::vector<Row> rows;             // at least one; each has columns.size() fields

  std::optional<size_t> column_index(std::string_view name) const;
};

// Parses CSV text: fields separated by ',', records by LF or CRLF; a field in double quotes may hold ',',
// line breaks (kept as written) and "" for one quote; a leading UTF-8 BOM is skipped; empty lines are
// skipped. Errors read "<source>:<line>: <what>: expected <what>" for an empty input, an empty or duplicate
// column name, a header without rows, a record with another number of fields than the header, an unterminated
// quoted field, a quote inside an unquoted field or text after a closing quote. Lines count from 1; a
// record's line is the one it starts on.
core::Result<FeederTable> parse_csv(std::string_view text, std::string_view source);

// Reads the file at path and parses it; errors name the path as given.
core::Result<FeederTable> load_csv(const std::string& path);

}  // namespace surge::templating
