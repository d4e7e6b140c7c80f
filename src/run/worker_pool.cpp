// Worker processes: one pipe each for snapshots; a closed pipe means the worker is gone, and wait4 tells
// how it ended and what CPU and memory it used.
#include "run/worker_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "core/errno_text.h"

namespace surge::run {

WorkerPool::~WorkerPool() {
  for (Pipe* pipe : pipes_) {
    if (pipe != nullptr && pipe->fd >= 0) close(pipe->fd);
    delete pipe;
  }
}

core::Result<void> WorkerPool::start(const WorkerSetup& setup, uint32_t count) {
  outcomes_.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) return core::fail("pipe failed: " + core::errno_text(errno));
    pid_t pid = fork();
    if (pid < 0) return core::fail("fork failed: " + core::errno_text(errno));
    if (pid == 0) {
      close(fds[0]);
      for (Pipe* other : pipes_) close(other->fd);
      WorkerSetup mine = setup;
      mine.segment = load::Segment::within(setup.segment, i, count);
      mine.snapshot_fd = fds[1];
      run_worker(mine);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    auto* pipe = new Pipe(*this, i, fds[0]);
    pipes_.push_back(pipe);
    pids_.push_back(pid);
    outcomes_[i].pid = pid;
    ++running_;
    auto added = loop_.add(fds[0], EPOLLIN, pipe);
    if (!added) return added;
  }
  return {};
}

void WorkerPool::signal_all(int sig) {
  for (size_t i = 0; i < pids_.size(); ++i) {
    if (pipes_[i]->fd >= 0) kill(pids_[i], sig);
  }
}

void WorkerPool::Pipe::on_event(uint32_t) {
  char chunk[64 * 1024];
  while (true) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n > 0) {
      buffer.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
    pool.drain_frames(*this);
    pool.on_worker_closed(*this);
    return;
  }
  pool.drain_frames(*this);
}

void WorkerPool::drain_frames(Pipe& pipe) {
  size_t offset = 0;
  while (pipe.buffer.size() - offset >= 4) {
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= uint32_t(uint8_t(pipe.buffer[offset + i])) << (8 * i);
    if (pipe.buffer.size() - offset - 4 < length) break;
    auto added = collector_.on_frame(std::string_view(pipe.buffer).substr(offset + 4, length));
    if (!added && protocol_error_.empty()) protocol_error_ = added.error().message;
    offset += 4 + length;
  }
  pipe.buffer.erase(0, offset);
}

void WorkerPool::on_worker_closed(Pipe& pipe) {
  loop_.remove(pipe.fd);
  close(pipe.fd);
  pipe.fd = -1;
  collector_.on_worker_gone(pipe.worker);
  int status = 0;
  rusage usage{};
  wait4(pids_[pipe.worker], &status, 0, &usage);
  results::WorkerOutcome& outcome = outcomes_[pipe.worker];
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
  cpu_s_ += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
            static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  peak_rss_bytes_ += static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  --running_;
}

}  // namespace surge::run
