// `surge doctor [PLAN] [--connections N] [--workers W]`: prints the kernel and process limits that decide how
// many connections this machine can hold, and what to change for a plan; changes nothing itself. Exit 0 when
// the plan fits, 1 when it cannot (too few workers for the open-file limit), 2 for a bad plan or flags.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/plan_diagnostics.h"
#include "machine/capacity.h"
#include "net/source_addresses.h"
#include "plan/plan.h"
#include "results/exit_code.h"

namespace surge::cli {
namespace {

struct DoctorFlags {
  std::string plan_path;
  uint64_t connections = 0;
  uint32_t workers = 0;
  std::string source_addrs;
};

std::string_view mark(machine::Finding::Level level) {
  switch (level) {
    case machine::Finding::Level::kOk:
      return "\u2713";
    case machine::Finding::Level::kAdvice:
      return "!";
    case machine::Finding::Level::kFail:
      return "\u2717";
  }
  return "?";
}

int doctor(const DoctorFlags& flags) {
  uint64_t connections = flags.connections;
  std::string source = "--connections";
  size_t source_addresses = 0;  // --source-addrs, else the plan's source_addrs
  if (!flags.source_addrs.empty()) {
    auto parsed = net::parse_source_addresses(flags.source_addrs);
    if (!parsed) {
      std::fprintf(stderr, "surge doctor: invalid --source-addrs \"%s\": %s\n", flags.source_addrs.c_str(),
                   parsed.error().message.c_str());
      return results::kExitUsage;
    }
    source_addresses = parsed->size();
  }
  if (!flags.plan_path.empty()) {
    auto plan = plan::load_plan_file(flags.plan_path);
    if (!plan) return print_plan_diagnostics(plan.error());
    if (source_addresses == 0) source_addresses = plan->source_addrs.size();
    if (connections == 0) {
      connections = machine::peak_connections(*plan);
      source = flags.plan_path;
    }
  }
  if (connections == 0) {
    std::fprintf(stderr, "surge doctor: give a PLAN or --connections N\n");
    return results::kExitUsage;
  }
  const machine::SystemLimits limits = machine::read_system_limits();
  // surge run's default: one worker per core; never fewer than the limits require is the advice itself.
  const uint32_t workers = flags.workers > 0 ? flags.workers : limits.cores;
  std::string out = fmt::format("surge doctor: {} connections ({}), {} worker{} ({} cores)\n",
                                machine::with_thousands(connections), source, workers,
                                workers == 1 ? "" : "s", limits.cores);
  bool fits = true;
  for (const machine::Finding& finding :
       machine::check_capacity(limits, connections, workers, source_addresses)) {
    out += fmt::format("  {} {:<13} {}\n", mark(finding.level), finding.topic, finding.text);
    fits = fits && finding.level != machine::Finding::Level::kFail;
  }
  out += fits ? "  the plan fits this machine's limits\n" : "  the plan does not fit: see \u2717 above\n";
  std::fputs(out.c_str(), stdout);
  return fits ? 0 : 1;
}

}  // namespace

void add_doctor_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<DoctorFlags>();
  CLI::App* command =
      app.add_subcommand("doctor", "Print the limits that decide how many connections this machine holds");
  command->add_option("plan", flags->plan_path, "Plan file (YAML): its peak connections are checked");
  command->add_option("--connections", flags->connections, "Connections to check instead of a plan's peak");
  command->add_option("--workers", flags->workers, "Worker processes the run will use (default: one per core)");
  command->add_option("--source-addrs", flags->source_addrs,
                      "Source addresses the run will use, like 127.0.0.2-127.0.0.7 (default: the plan's source_addrs)");
  command->callback([flags, &exit_code] { exit_code = doctor(*flags); });
}

}  // namespace surge::cli
