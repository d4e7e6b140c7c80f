// The CSV reader behind feeders: one pass over the text, one record at a time, tracking the line so every
// error points at it. Start-up only, so it allocates freely and keeps the code plain.
#include "templating/csv.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

#include "core/errno_text.h"

namespace surge::templating {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

class CsvReader {
 public:
  CsvReader(std::string_view text, std::string_view source) : text_(text), source_(source) {
    if (text_.starts_with(kBom)) text_.remove_prefix(kBom.size());
  }

  // Reads the next record into fields (cleared first). False at the end of the input.
  core::Result<bool> read_record(Row& fields) {
    fields.clear();
    while (at_line_end()) skip_line_end();  // empty lines carry no record
    if (pos_ >= text_.size()) return false;
    record_line_ = line_;
    for (;;) {
      auto field = text_[pos_] == '"' ? read_quoted() : read_unquoted();
      if (!field) return core::Unexpected<core::Error>{field.error()};
      fields.push_back(std::move(*field));
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        if (pos_ == text_.size() || at_line_end())
          fields.emplace_back();  // "a," ends with an empty field
        else
          continue;
      }
      if (at_line_end()) skip_line_end();
      return true;
    }
  }

  size_t record_line() const { return record_line_; }

  core::Unexpected<core::Error> error(size_t line, const std::string& what) const {
    return core::fail(std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }

 private:
  bool at_line_end() const {
    return pos_ < text_.size() && (text_[pos_] == '\n' || (text_[pos_] == '\r' && pos_ + 1 < text_.size() &&
                                                           text_[pos_ + 1] == '\n'));
  }

  void skip_line_end() {
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    ++line_;
  }

  bool at_field_end() const { return pos_ >= text_.size() || text_[pos_] == ',' || at_line_end(); }

  core::Result<std::string> read_unquoted() {
    const size_t begin = pos_;
    while (!at_field_end()) {
      if (text_[pos_] == '"') {
        return error(line_,
                     "'\"' inside an unquoted field: expected the whole field in quotes, with \"\" for '\"'");
      }
      ++pos_;
    }
    return std::string(text_.substr(begin, pos_ - begin));
  }

  // RFC 4180 §2.5-2.7: the field runs to the next lone '"'; "" stands for one '"'.
  core::Result<std::string> read_quoted() {
    const size_t open_line = line_;
    std::string field;
    ++pos_;
    for (;;) {
      const size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) {
        return error(open_line, "unterminated quoted field: expected a closing '\"'");
      }
      const std::string_view chunk = text_.substr(pos_, quote - pos_);
      line_ += std::count(chunk.begin(), chunk.end(), '\n');
      field.append(chunk);
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field.push_back('"');
        ++pos_;
        continue;
      }
      if (!at_field_end()) {
        return error(line_, "unexpected '" + std::string(1, text_[pos_]) +
                                "' after a closing quote: expected ',' or the end of the line");
      }
      return field;
    }
  }

  std::string_view text_;
  std::string_view source_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t record_line_ = 1;
};

core::Result<void> check_header(const CsvReader& reader, const Row& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].empty()) {
      return reader.error(reader.record_line(),
                          "empty name for column " + std::to_string(i + 1) + ": expected a column name");
    }
    if (std::find(columns.begin(), columns.begin() + static_cast<ptrdiff_t>(i), columns[i]) !=
        columns.begin() + static_cast<ptrdiff_t>(i)) {
      return reader.error(reader.record_line(),
                          "duplicate column name '" + columns[i] + "': expected each name once");
    }
  }
  return {};
}

}  // namespace

std::optional<size_t> FeederTable::column_index(std::string_view name) const {
  auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) return std::nullopt;
  return static_cast<size_t>(it - columns.begin());
}

core::Result<FeederTable> parse_csv(std::string_view text, std::string_view source) {
  CsvReader reader(text, source);
  FeederTable table;
  auto header = reader.read_record(table.columns);
  if (!header) return core::Unexpected<core::Error>{header.error()};
  if (!*header) return reader.error(1, "empty file: expected a header row with the column names");
  if (auto checked = check_header(reader, table.columns); !checked) {
    return core::Unexpected<core::Error>{checked.error()};
  }
  const size_t header_line = reader.record_line();
  Row row;
  for (;;) {
    auto more = reader.read_record(row);
    if (!more) return core::Unexpected<core::Error>{more.error()};
    if (!*more) break;
    if (row.size() != table.columns.size()) {
      return reader.error(reader.record_line(), "expected " + std::to_string(table.columns.size()) +
                                                    " fields as in the header, found " +
                                                    std::to_string(row.size()));
    }
    table.rows.push_back(std::move(row));
    row = Row();
  }
  if (table.rows.empty()) {
    return reader.error(header_line, "a header but no rows: expected at least one row after the header");
  }
  return table;
}

core::Result<FeederTable> load_csv(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return core::fail(path + ": cannot open: " + core::errno_text(errno));
  std::string text;
  char chunk[65536];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) text.append(chunk, got);
  if (std::ferror(file.get())) return core::fail(path + ": cannot read: " + core::errno_text(errno));
  return parse_csv(text, path);
}

}  // namespace surge::templating
