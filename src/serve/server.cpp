// Process layout of `surge serve`. All listening sockets are made before the listening line is printed and
// before any fork, so a client that reads the line never gets a refusal (a connection made before its
// worker runs waits in that socket's backlog), and the parent keeps none after the fork: a listening socket
// nobody accepts on would take its share of the connections. The start time is taken as the line is
// printed, before the fork, so every worker shares it (per_second, stalls).
#include "serve/server.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/errno_text.h"
#include "core/event_loop.h"
#include "core/stop_on_signal.h"
#include "net/address.h"
#include "net/socket.h"
#include "serve/hostile_worker.h"
#include "serve/stall.h"
#include "serve/stats.h"
#include "serve/tls_server.h"
#include "serve/worker.h"

namespace surge::serve {
namespace {

constexpr int kMaxWorkers = 1024;

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Serves on listen_fd until a stop signal; the signals must already be blocked.
core::Result<void> run_worker(int listen_fd, const ServeOptions& options, SharedStats& stats, int index,
                              const TlsContext* tls) {
  auto loop = core::EventLoop::create();
  if (!loop) {
    ::close(listen_fd);
    return core::fail(loop.error().message);
  }
  sigset_t signals = stop_signals();
  int signal_fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) {
    ::close(listen_fd);
    return core::fail("signalfd failed: " + core::errno_text(errno));
  }
  core::StopOnSignal watcher(**loop, signal_fd);
  if (auto added = (*loop)->add(signal_fd, EPOLLIN, &watcher); !added) {
    ::close(listen_fd);
    return added;
  }
  if (options.misbehave != Misbehaviour::kNone && !is_h2_mode(options.misbehave)) {
    HostileWorker hostile(**loop, listen_fd, options.misbehave);
    if (auto started = hostile.start(); !started) return started;
    return (*loop)->run();
  }
  Worker worker(**loop, listen_fd, options, stats, index, tls);
  Staller staller(**loop,
                  StallSchedule(stats.start_ns(), options.stall_every.count(), options.stall_for.count()),
                  stats.worker(index));
  if (auto started = worker.start(); !started) return started;
  if (options.stall_every.count() > 0) staller.start();
  return (*loop)->run();
}

void close_all(const std::vector<int>& fds) {
  for (int fd : fds) ::close(fd);
}

// One listening socket per worker on the same address and port.
core::Result<std::vector<int>> listen_all(const ServeOptions& options) {
  auto address = net::parse_numeric_address(options.address, options.port);
  if (!address) return core::fail(address.error().message);
  net::ListenOptions listen_options;
  listen_options.reuse_port = options.workers > 1;  // with one worker, a busy port must be an error
  std::vector<int> fds;
  for (int i = 0; i < options.workers; ++i) {
    auto fd = net::listen_tcp(*address, listen_options);
    if (!fd) {
      close_all(fds);
      return core::fail(fd.error().message);
    }
    fds.push_back(*fd);
    if (i == 0 && address->port() == 0) {
      auto bound = net::local_address(*fd);
      if (!bound) {
        close_all(fds);
        return core::fail(bound.error().message);
      }
      address = *bound;
    }
  }
  return fds;
}

void print_listening(int fd) {
  auto bound = net::local_address(fd);
  std::printf("listening on %s\n", bound ? bound->to_string().c_str() : "?");
  std::fflush(stdout);
}

void signal_all(const std::vector<pid_t>& pids, int signal) {
  for (pid_t pid : pids) {
    if (pid > 0) ::kill(pid, signal);
  }
}

// Reaps the workers that have exited (pid set to -1); returns how many, and the wait status of one.
size_t reap(std::vector<pid_t>& pids, int& status) {
  size_t reaped = 0;
  for (pid_t& pid : pids) {
    if (pid > 0 && ::waitpid(pid, &status, WNOHANG) == pid) {
      pid = -1;
      ++reaped;
    }
  }
  return reaped;
}

// The parent of several workers: forwards stop signals, reaps, and stops everyone if one dies. Workers that
// have not exited kKillAfter after SIGTERM get SIGKILL, so the parent never hangs on a stuck child.
core::Result<void> supervise(std::vector<pid_t>& pids) {
  constexpr timespec kKillAfter{10, 0};
  sigset_t signals = stop_signals();
  sigaddset(&signals, SIGCHLD);
  bool stopping = false;
  std::string failure;
  size_t live = pids.size();
  while (live > 0) {
    siginfo_t info;
    int signal = stopping ? sigtimedwait(&signals, &info, &kKillAfter) : sigwaitinfo(&signals, &info);
    if (signal < 0 && errno == EAGAIN) signal_all(pids, SIGKILL);
    if ((signal == SIGINT || signal == SIGTERM) && !stopping) {
      stopping = true;
      signal_all(pids, SIGTERM);
    }
    int status = 0;
    size_t reaped = reap(pids, status);
    live -= reaped;
    if (reaped > 0 && !stopping) {
      failure = "a worker stopped on its own (wait status " + std::to_string(status) + ")";
      stopping = true;
      signal_all(pids, SIGTERM);
    }
  }
  if (!failure.empty()) return core::fail(failure);
  return {};
}

core::Result<void> run_workers(const std::vector<int>& fds, const ServeOptions& options, SharedStats& stats,
                               const TlsContext* tls) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::vector<pid_t> pids;
  pid_t parent = ::getpid();
  for (int i = 0; i < options.workers; ++i) {
    pid_t pid = ::fork();
    if (pid < 0) {
      int err = errno;
      signal_all(pids, SIGTERM);
      for (pid_t child : pids) ::waitpid(child, nullptr, 0);
      close_all(fds);
      return core::fail("fork failed: " + core::errno_text(err));
    }
    if (pid == 0) {
      // A parent killed with SIGKILL cannot forward anything: the kernel's SIGTERM stops the worker instead.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(0);
      for (int j = 0; j < static_cast<int>(fds.size()); ++j) {
        if (j != i) ::close(fds[j]);
      }
      auto served = run_worker(fds[i], options, stats, i, tls);
      if (!served) std::fprintf(stderr, "surge serve: worker %d: %s\n", i, served.error().message.c_str());
      std::fflush(stderr);
      ::_exit(served ? 0 : 1);
    }
    pids.push_back(pid);
  }
  close_all(fds);
  return supervise(pids);
}

core::Result<void> check_options(const ServeOptions& options) {
  if (options.workers < 1 || options.workers > kMaxWorkers) {
    return core::fail("invalid worker count " + std::to_string(options.workers) + ": expected 1.." +
                      std::to_string(kMaxWorkers));
  }
  int64_t every_ns = options.stall_every.count(), for_ns = options.stall_for.count();
  if ((every_ns != 0 || for_ns != 0) && (for_ns <= 0 || for_ns >= every_ns)) {
    return core::fail("invalid stall of " + std::to_string(for_ns) + " ns every " + std::to_string(every_ns) +
                      " ns: expected 0 < stall_for < stall_every");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return core::fail(options.tls_cert.empty() ? "a TLS key needs its certificate (--tls-cert)"
                                               : "a TLS certificate needs its key (--tls-key)");
  }
  if (!(options.cache_hit_ratio >= 0.0 && options.cache_hit_ratio <= 1.0)) {  // NaN fails both
    return core::fail("invalid cache hit ratio " + std::to_string(options.cache_hit_ratio) +
                      ": expected 0..1");
  }
  return {};
}

}  // namespace

core::Result<void> run_server(const ServeOptions& options) {
  if (auto checked = check_options(options); !checked) return checked;
  std::optional<TlsContext> tls;
  if (!options.tls_cert.empty()) {
    auto loaded = TlsContext::load(options.tls_cert, options.tls_key);
    if (!loaded) return core::fail(loaded.error().message);
    tls.emplace(std::move(*loaded));
    // SSL_write writes with write(2), which raises SIGPIPE on a peer that has gone; the connection sees
    // EPIPE.
    signal(SIGPIPE, SIG_IGN);
  }
  auto fds = listen_all(options);
  if (!fds) return core::fail(fds.error().message);
  // The start: the moment of the listening line (printed below, before any fork).
  auto stats = SharedStats::create(options.workers, core::monotonic_ns());
  if (!stats) {
    close_all(*fds);
    return core::fail(stats.error().message);
  }
  sigset_t blocked = stop_signals();
  sigaddset(&blocked, SIGCHLD);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  print_listening((*fds)[0]);
  core::Result<void> result;
  if (options.workers == 1) {
    result = run_worker((*fds)[0], options, *stats, 0, tls ? &*tls : nullptr);
  } else {
    result = run_workers(*fds, options, *stats, tls ? &*tls : nullptr);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return result;
}

}  // namespace surge::serve
