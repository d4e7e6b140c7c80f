// `tls:`, the plan's settings for https:// and wss:// connections. The CA file is read now, so a missing file or
// one without a PEM certificate is a plan error at its line, not a run whose every handshake fails.
#include <fstream>
#include <sstream>

#include "plan/file_access.h"
#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

std::optional<bool> read_flag(YamlReader& reader, const Field& field) {
  auto text = reader.read_string(field);
  if (text && (*text == "true" || *text == "false")) return *text == "true";
  if (text) reader.error(reader.where_value(field), field.key + ": expected true or false, found '" + *text + "'");
  return std::nullopt;
}

// A DNS name as SNI carries it (RFC 6066 §3): letters, digits, '-', '.', '_' (seen in real internal names).
bool is_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c == '_';
    if (!ok) return false;
  }
  return true;
}

void read_ca_file(YamlReader& reader, const Field& field, const std::string& plan_file, bool allow_outside_files,
                  TlsOptions& tls) {
  auto file = reader.read_string(field);
  if (!file) return;
  if (file->empty()) return reader.error(reader.where_value(field), "ca_file must not be empty");
  auto path = resolve_plan_file(plan_file, *file, allow_outside_files);
  if (!path) return reader.error(reader.where_value(field), path.error().message);
  std::ifstream in(*path, std::ios::binary);
  if (!in) return reader.error(reader.where_value(field), "ca_file '" + *file + "': cannot read " + *path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return reader.error(reader.where_value(field),
                        "ca_file '" + *file + "': expected PEM certificates (-----BEGIN CERTIFICATE-----)");
  }
  tls.ca_file = *file;
  tls.ca_path = std::move(*path);
}

}  // namespace

TlsOptions read_tls(YamlReader& reader, const Field& field, const std::string& plan_file, bool allow_outside_files) {
  TlsOptions tls;
  tls.where = reader.where(field.key_node);
  auto map = reader.read_map(field, "tls", {"insecure", "server_name", "ca_file", "min_version"});
  if (!map) return tls;
  if (const Field* insecure = map->find("insecure")) tls.insecure = read_flag(reader, *insecure).value_or(false);
  if (const Field* name = map->find("server_name")) {
    auto text = reader.read_string(*name);
    if (text && !is_host_name(*text)) {
      reader.error(reader.where_value(*name), "server_name: expected a host name like api.example.com, found '" +
                                                  *text + "'");
    } else if (text) {
      tls.server_name = *text;
    }
  }
  if (const Field* ca = map->find("ca_file")) read_ca_file(reader, *ca, plan_file, allow_outside_files, tls);
  if (const Field* version = map->find("min_version")) {
    auto text = reader.read_string(*version);
    if (text && *text == "1.2") tls.min_version = TlsOptions::MinVersion::k12;
    else if (text && *text == "1.3") tls.min_version = TlsOptions::MinVersion::k13;
    else if (text) reader.error(reader.where_value(*version), "min_version: expected \"1.2\" or \"1.3\", found '" + *text + "'");
  }
  if (tls.insecure && !tls.ca_file.empty()) {
    reader.error(reader.where_value(*map->find("ca_file")), "ca_file has no effect with insecure: true; remove one");
  }
  return tls;
}

}  // namespace surge::plan
