// The nginx fixture (nginx.h). nginx prints no ready line, but its master writes the pid file only after it
// has bound and listens on every port (nginx.c: ngx_init_cycle, then ngx_create_pidfile), so the fixture
// waits on inotify for that file, or on the child's exit, never by sleeping.
#include "nginx.h"

#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "free_port.h"

namespace surge::test_support {
namespace {

// Waits until `path` exists and is not empty, or the child exits, or timeout_s pass.
bool wait_for_file(const std::string& dir, const std::string& path, ChildProcess& child, double timeout_s) {
  int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  inotify_add_watch(watch, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  bool ready = false;
  while (true) {
    struct stat info {};
    if (stat(path.c_str(), &info) == 0 && info.st_size > 0) {
      ready = true;
      break;
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (child.exited() || left.count() <= 0) break;
    pollfd events[2] = {{watch, POLLIN, 0}, {child.exit_fd(), POLLIN, 0}};
    poll(events, 2, static_cast<int>(left.count()) + 1);
    char drain[4096];
    while (read(watch, drain, sizeof drain) > 0) {
    }
  }
  close(watch);
  return ready;
}

}  // namespace

Nginx::Nginx(NginxOptions options)
    : port_(free_loopback_port()),
      dir_(test_temp_dir() + "/nginx-" + std::to_string(port_)),
      tls_(!options.certificate.empty()) {
  mkdir(dir_.c_str(), 0755);
  write_config(options);
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{kNginxBinary, "-p", dir_, "-c", dir_ + "/nginx.conf"});
  if (!wait_for_file(dir_, dir_ + "/nginx.pid", *process_, 10)) {
    failure_ = "nginx did not start: " + process_->stderr_text() + read_file(dir_ + "/error.log");
  }
}

Nginx::~Nginx() { process_->terminate(); }

void Nginx::write_config(const NginxOptions& options) const {
  std::ofstream conf(dir_ + "/nginx.conf");
  conf << "worker_processes 1;\ndaemon off;\npid " << dir_ << "/nginx.pid;\nerror_log " << dir_
       << "/error.log;\n"
       << "events { worker_connections " << options.worker_connections << "; }\nhttp {\n";
  if (!options.access_log) {
    conf << "  access_log off;\n";
  } else if (options.log_format.empty()) {
    conf << "  access_log " << dir_ << "/access.log;\n";
  } else {
    conf << "  log_format test '" << options.log_format << "';\n  access_log " << dir_
         << "/access.log test;\n";
  }
  for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    conf << "  " << temp << "_temp_path " << dir_ << ";\n";
  }
  conf << options.http_directives << "  server {\n    listen 127.0.0.1:" << port_ << (tls_ ? " ssl" : "")
       << ";\n";
  if (!options.unix_socket.empty()) conf << "    listen unix:" << options.unix_socket << ";\n";
  if (tls_) {
    conf << "    ssl_certificate " << options.certificate << ";\n    ssl_certificate_key "
         << options.certificate_key << ";\n";
  }
  if (!options.client_ca.empty()) {
    conf << "    ssl_client_certificate " << options.client_ca << ";\n    ssl_verify_client on;\n";
  }
  conf << options.locations << "  }\n}\n";
}

std::string Nginx::url(const std::string& path) const {
  return std::string(tls_ ? "https://" : "http://") + address() + path;
}

std::vector<std::string> Nginx::access_log_lines() const {
  std::ifstream log(dir_ + "/access.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(log, line);) lines.push_back(line);
  return lines;
}

}  // namespace surge::test_support
