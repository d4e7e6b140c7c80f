// Reading a source from a response: every kind ends as the same Reading, so conditions compare one shape.
#include "extract/source.h"

#include <charconv>

#include "extract/header.h"
#include "extract/json_value.h"

namespace surge::extract {
namespace {

void read_json(const JsonPath& path, std::string_view body, std::string& scratch, Reading& out) {
  std::optional<std::string_view> raw = find(path, body);
  if (!raw) return;
  out.present = true;
  if ((*raw)[0] != '"') {
    out.text = *raw;
    out.number = json_number(*raw);
    return;
  }
  std::string_view inner = raw->substr(1, raw->size() - 2);
  if (inner.find('\\') == std::string_view::npos) {
    out.text = inner;
    return;
  }
  scratch.clear();
  json_to_text(*raw, scratch);
  out.text = scratch;
}

void read_text(std::optional<std::string_view> text, Reading& out) {
  if (!text) return;
  out.present = true;
  out.text = *text;
  out.number = json_number(*text);
}

}  // namespace

void read_source(const Source& source, const ResponseView& response, std::string& scratch, Reading& out) {
  out.present = false;
  out.text = {};
  out.number.reset();
  switch (source.kind) {
    case SourceKind::kStatus: {
      auto [end, error] = std::to_chars(out.digits, out.digits + sizeof out.digits, response.status);
      out.present = true;
      out.text = std::string_view(out.digits, error == std::errc() ? end - out.digits : 0);
      out.number = response.status;
      return;
    }
    case SourceKind::kHeader:
      return read_text(find_header(response.head, source.header), out);
    case SourceKind::kJson:
      return read_json(source.path, response.body, scratch, out);
    case SourceKind::kBody:
      if (!response.body.empty()) read_text(response.body, out);
      return;
    case SourceKind::kRegex: {
      std::string_view group;
      if (source.regex && source.regex->search(response.body, &group)) read_text(group, out);
      return;
    }
  }
}

}  // namespace surge::extract
