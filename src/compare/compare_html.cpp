// Filling the page template's {{NAME}} slots in one pass; inserted text is never scanned again, so a plan
// name that looks like a slot stays text.
#include "compare/compare_html.h"

#include <map>

#include "compare/compare_assets.h"
#include "compare/compare_json.h"
#include "report/html.h"

namespace surge::compare {

std::string render_compare_html(const Comparison& comparison) {
  // Invalid UTF-8 in a name from the plan becomes U+FFFD instead of failing the page.
  const std::string data = report::script_safe_json(
      to_compare_json(comparison, true).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  const std::string title = report::html_escape("surge compare: " + comparison.base.plan);
  const std::map<std::string_view, std::string_view> slots = {
      {"TITLE", title}, {"STYLE", assets::kCompareCss}, {"SCRIPT", assets::kCompareJs}, {"DATA", data}};
  const std::string_view page = assets::kCompareHtml;
  std::string out;
  for (size_t at = 0; at < page.size();) {
    const size_t open = page.find("{{", at);
    const size_t close = open == std::string_view::npos ? open : page.find("}}", open);
    auto slot =
        close == std::string_view::npos ? slots.end() : slots.find(page.substr(open + 2, close - open - 2));
    if (slot == slots.end()) {
      const size_t end = open == std::string_view::npos ? page.size() : open + 2;
      out.append(page.substr(at, end - at));
      at = end;
      continue;
    }
    out.append(page.substr(at, open - at));
    out.append(slot->second);
    at = close + 2;
  }
  return out;
}

}  // namespace surge::compare
