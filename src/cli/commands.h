// Each command lives in its own file and registers a CLI11 subcommand whose callback runs it and stores the
// process exit code (0 pass, 99 SLA failed or a metric regressed, 2 bad usage, plan or input, 1 the run
// itself failed: results/exit_code.h).
#pragma once

#include <CLI/CLI.hpp>

namespace surge::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_proxy_command(CLI::App& app, int& exit_code);
void add_doctor_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);

}  // namespace surge::cli
