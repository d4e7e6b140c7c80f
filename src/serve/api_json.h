// The one JSON question the CodePal API asks of a request body, on top of text/'s scanner: is the body one
// object, and what is its top-level member `key`. Kept apart from text/ because the answer is the API's
// own: the last of repeated members wins (as the API has always read them; text::json::find_member gives
// the first), and keys compare as sent.
#pragma once

#include <string_view>

#include "text/json_view.h"

namespace surge::serve {

// True when `body` is exactly one JSON object (RFC 8259, whitespace around it allowed, nesting up to
// text::json::kMaxDepth); *member is then its top-level member named `key` (the last one if repeated; an
// empty raw when absent). Keys written with escapes do not match. Never allocates. `member` may be null.
bool read_api_object(std::string_view body, std::string_view key, text::json::JsonValue* member);

}  // namespace surge::serve
