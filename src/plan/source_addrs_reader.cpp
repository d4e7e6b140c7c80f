// `source_addrs:` of a plan: a range or comma list in one string ("127.0.0.2-127.0.0.7"), or a sequence of
// addresses and ranges. Parsed here (not at run time) so a bad address points at its line and column.
#include <vector>

#include "net/source_addresses.h"
#include "plan/plan_reader.h"

namespace surge::plan {

void read_source_addrs(YamlReader& reader, const Field& field, Plan& plan) {
  std::vector<net::SocketAddress> addresses;
  plan.source_addrs_where = reader.where_value(field);
  auto fail = [&](const SourceLocation& where, const std::string& message) {
    reader.error(where, "source_addrs: " + message);
  };
  if (field.value.IsSequence()) {
    auto items = reader.read_sequence(field);
    for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
      const SourceLocation where = reader.where(item);
      auto text = reader.read_string(item, where, "source_addrs entry");
      if (!text) return;
      if (auto added = net::append_source_addresses(*text, addresses); !added) return fail(where, added.error().message);
    }
  } else {
    auto text = reader.read_string(field);
    if (!text) return;
    auto parsed = net::parse_source_addresses(*text);
    if (!parsed) return fail(plan.source_addrs_where, parsed.error().message);
    addresses = std::move(parsed).value();
  }
  if (addresses.empty()) {
    return fail(plan.source_addrs_where, "expected at least one address, like 127.0.0.2-127.0.0.7 or [10.0.0.1, 10.0.0.2]");
  }
  plan.source_addrs = std::move(addresses);
}

}  // namespace surge::plan
