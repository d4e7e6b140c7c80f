// The coordinator's side of the worker processes: fork them, read their snapshot frames, reap them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "core/result.h"
#include "merge/collector.h"
#include "results/run_result.h"
#include "run/worker.h"

namespace surge::run {

class WorkerPool {
 public:
  WorkerPool(core::EventLoop& loop, merge::Collector& collector) : loop_(loop), collector_(collector) {}
  ~WorkerPool();

  // Forks `count` workers, worker i running piece i of count of setup.segment (the whole run, or --segment).
  core::Result<void> start(const WorkerSetup& setup, uint32_t count);
  // Sends sig to every worker still running.
  void signal_all(int sig);
  bool all_exited() const { return running_ == 0; }
  const std::vector<results::WorkerOutcome>& outcomes() const { return outcomes_; }
  double cpu_seconds() const { return cpu_s_; }
  uint64_t peak_rss_bytes() const { return peak_rss_bytes_; }
  // Called when a frame could not be decoded (a bug, reported once).
  const std::string& protocol_error() const { return protocol_error_; }

 private:
  struct Pipe final : core::EventHandler {
    Pipe(WorkerPool& pool, uint32_t worker, int fd) : pool(pool), worker(worker), fd(fd) {}
    void on_event(uint32_t events) override;
    WorkerPool& pool;
    uint32_t worker;
    int fd;
    std::string buffer;
  };

  void on_worker_closed(Pipe& pipe);
  void drain_frames(Pipe& pipe);

  core::EventLoop& loop_;
  merge::Collector& collector_;
  std::vector<pid_t> pids_;
  std::vector<Pipe*> pipes_;
  std::vector<results::WorkerOutcome> outcomes_;
  uint32_t running_ = 0;
  double cpu_s_ = 0;
  uint64_t peak_rss_bytes_ = 0;
  std::string protocol_error_;
};

}  // namespace surge::run
