// surge's entry point and the only reader of argv: dispatches to one subcommand per file.
#include <cstdio>

#include "cli/commands.h"
#include "net/socket.h"
#include "text/version.h"

int main(int argc, char** argv) {
  surge::net::raise_open_file_limit();  // inherited by workers and the built-in target
  CLI::App app{"surge: load and stress testing for HTTP services"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "surge " SURGE_VERSION);
  int exit_code = 0;
  surge::cli::add_run_command(app, exit_code);
  surge::cli::add_serve_command(app, exit_code);
  surge::cli::add_validate_command(app, exit_code);
  surge::cli::add_report_command(app, exit_code);
  surge::cli::add_proxy_command(app, exit_code);
  surge::cli::add_doctor_command(app, exit_code);
  surge::cli::add_merge_command(app, exit_code);
  surge::cli::add_compare_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // --help/--version exit 0; any usage error is exit code 2
  }
  return exit_code;
}
