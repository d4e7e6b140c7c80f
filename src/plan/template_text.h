// Small text helpers for plan values that may hold {{ templates }}: syntax checks run on the text with each
// template replaced by a harmless stand-in, and literal query/form parts are percent-encoded at load time.
#pragma once

#include <string>
#include <string_view>

namespace surge::plan {

// The text with every "{{ ... }}" replaced by "0" (an unterminated "{{" is left alone: the template check
// reports it), so URL and header syntax checks see what a rendered value looks like.
std::string without_templates(std::string_view text);

// Percent-encodes everything but RFC 3986 unreserved characters, leaving "{{ ... }}" holes intact (the values
// rendered into them are encoded when rendered).
std::string percent_encode_literal(std::string_view text);

}  // namespace surge::plan
