// Run: the stages of one run, in order — prepare, start, load (each second), finish (run.h).
#include "run/run.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

#include "core/clock.h"
#include "core/errno_text.h"
#include "fault/recovery.h"
#include "report/outputs.h"
#include "report/summary.h"
#include "results/exit_code.h"
#include "run/live_metrics.h"
#include "run/run_shape.h"

namespace surge::run {
namespace {

// Workers start together a little after the fork, so all of them are ready when phase 0 begins.
constexpr int64_t kStartDelayNs = 50 * core::kNsPerMs;

core::Unexpected<RunError> stop(int exit_code, std::string message) {
  return {RunError{exit_code, std::move(message)}};
}

// The coordinator's peak RSS. Not getrusage's ru_maxrss: Linux carries that over execve from whatever process
// started surge (a Python harness made surge report 26 MiB instead of 15), while VmHWM is this image's own.
uint64_t own_peak_rss_bytes() {
  FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  uint64_t kib = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmHWM: %lu kB", &kib) == 1) break;
  }
  std::fclose(status);
  return kib * 1024;
}

// Stops a run whose target never accepted a connection: every attempt failed to connect for a whole second.
bool target_unreachable(const merge::Collector& collector) {
  const metrics::ConnectionStats connections = collector.totals().connections_total();
  return connections.opened == 0 && connections.failed > 0;
}

size_t phase_index(const plan::Plan& plan, const std::string& name) {
  for (size_t i = 0; i < plan.phases.size(); ++i) {
    if (plan.phases[i].name == name) return i;
  }
  return 0;
}

std::vector<double> phase_durations_s(const plan::Plan& plan) {
  std::vector<double> durations;
  for (const plan::Phase& phase : plan.phases) {
    durations.push_back(static_cast<double>(phase.duration.count()) / core::kNsPerSec);
  }
  return durations;
}

}  // namespace

Run::Run(const plan::Plan& plan, const RunOptions& options)
    : plan_(plan), options_(options), redactor_(plan.secrets), target_url_(plan.target_url) {}

Run::~Run() = default;

Stage Run::prepare() {
  if (auto checked = check_start_at(); !checked) return checked;
  if (auto started = start_builtin_target(); !started) return started;
  if (auto compiled = compile(); !compiled) return compiled;
  const int signal_fd = block_stop_signals();  // before the faults' processes start: they unblock them
  auto loop = core::EventLoop::create();
  if (!loop) return stop(results::kExitRunFailed, "surge: " + loop.error().message);
  loop_ = std::move(loop).value();
  if (auto faults = prepare_faults(); !faults) return faults;
  result_.shape() = run_shape(plan_, *compiled_, target_url_);
  collector_.emplace(result_.phase_names(), compiled_->steps.size(), options_.workers);
  pool_.emplace(*loop_, *collector_);
  relay_.emplace(signal_fd, *loop_, *pool_, result_, options_.grace.count());
  if (signal_fd >= 0) (void)loop_->add(signal_fd, EPOLLIN, &*relay_);
  if (auto exporting = start_exporter(); !exporting) return exporting;
  start_monitor();
  return {};
}

Stage Run::check_start_at() const {
  const int64_t now_ns = core::wall_clock_ns();
  if (!options_.start_at_unix_ns || *options_.start_at_unix_ns >= now_ns - kStartAtToleranceNs) return {};
  char message[256];
  std::snprintf(
      message, sizeof message,
      "surge run: --start-at lies %.1f s in the past (at most 1 s is allowed): pick a time far enough "
      "ahead for every segment to start",
      static_cast<double>(now_ns - *options_.start_at_unix_ns) / core::kNsPerSec);
  return stop(results::kExitUsage, message);
}

Stage Run::start_builtin_target() {
  if (!plan_.builtin_target) return {};
  auto started = BuiltinTarget::start();
  if (!started) return stop(results::kExitRunFailed, "surge: " + started.error().message);
  builtin_.emplace(std::move(started).value());
  target_url_ = builtin_->url();
  return {};
}

// A plan that validated can still fail to compile against this machine (an unknown host, a CA file OpenSSL
// cannot load): the run failed (1). Source addresses of the wrong family for a target are bad input (2).
Stage Run::compile() {
  auto compiled = scenario::compile_plan(plan_, target_url_);
  if (!compiled) return stop(results::kExitRunFailed, "surge: " + redactor_.redact(compiled.error().message));
  compiled_.emplace(std::move(compiled).value());
  if (auto families = scenario::check_source_families(plan_, *compiled_); !families) {
    return stop(results::kExitUsage, families.error().message);
  }
  return {};
}

Stage Run::prepare_faults() {
  if (!plan_.proxy && plan_.faults.empty()) return {};
  auto prepared = fault::FaultRun::prepare(*loop_, plan_, target_url_, *compiled_);
  if (!prepared) return stop(results::kExitRunFailed, "surge: " + prepared.error().message);
  fault_run_ = std::move(prepared).value();
  return {};
}

// --prometheus names an address surge cannot listen on: bad usage (2), found before any load.
Stage Run::start_exporter() {
  if (!options_.prometheus) return {};
  auto exporting =
      observe::Exporter::start(*loop_, *options_.prometheus, live_view(plan_, result_, options_.slas));
  if (!exporting) {
    return stop(results::kExitUsage, "surge run: --prometheus " + options_.prometheus->to_string() + ": " +
                                         exporting.error().message);
  }
  exporter_ = std::move(exporting).value();
  exporter_->require_bearer_token(options_.prometheus_token);
  if (!options_.quiet) {
    std::fprintf(stderr, "surge: Prometheus metrics on http://%s/metrics\n",
                 exporter_->address().to_string().c_str());
  }
  return {};
}

// The target is sampled from just before the load (the baseline) to the end; a plan's target_pid or
// --target-pid names it, and the built-in target is always monitored.
void Run::start_monitor() {
  const int target_pid = options_.target_pid != 0 ? options_.target_pid : plan_.target_pid;
  if (target_pid != 0)
    monitor_.emplace(target_pid);
  else if (builtin_)
    monitor_.emplace(builtin_->pid());
  if (!monitor_) return;
  if (auto baseline = monitor_->sample()) {
    result_.target_monitoring = results::TargetMonitoring{monitor_->pid(), *baseline};
  } else {
    std::fprintf(stderr, "surge: warning: target process %d not found; the target is not monitored\n",
                 monitor_->pid());
    monitor_.reset();
  }
}

Stage Run::start() {
  WorkerSetup setup;
  setup.plan = &plan_;
  setup.compiled = &*compiled_;
  setup.max_requests = options_.max_requests;
  setup.seed = options_.seed;
  setup.log_requests = options_.log_requests;
  if (auto opened = open_request_log(setup); !opened) return opened;
  if (options_.segment) setup.segment = options_.segment->segment;
  const int64_t delay_ns = start_delay_ns();
  setup.start_ns = start_ns_ = core::monotonic_ns() + delay_ns;
  result_.started_at_unix_ms = (core::wall_clock_ns() + delay_ns) / core::kNsPerMs;
  if (auto started = pool_->start(setup, options_.workers); !started) {
    pool_->signal_all(SIGKILL);
    return stop(results::kExitRunFailed, "surge: " + started.error().message);
  }
  // The plan's proxy.listen cannot be bound: the plan names an address surge cannot use (2). The workers wait
  // for start_ns, so no load has been sent.
  if (fault_run_) {
    if (auto proxying = fault_run_->start(start_ns_); !proxying) {
      pool_->signal_all(SIGKILL);
      return stop(results::kExitUsage, "surge: " + proxying.error().message);
    }
  }
  progress_.emplace(options_.quiet,
                    options_.max_requests > 0 ? std::vector<double>{} : phase_durations_s(plan_));
  sla_watch_.emplace(options_.slas);
  if (options_.segment) partial_.emplace(*options_.segment);
  return {};
}

// --log-requests-file cannot be opened for appending: bad usage (2).
Stage Run::open_request_log(WorkerSetup& setup) const {
  if (options_.log_requests_file.empty()) return {};
  setup.log_fd = open(options_.log_requests_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (setup.log_fd >= 0) return {};
  return stop(results::kExitUsage, "surge run: cannot open --log-requests-file '" +
                                       options_.log_requests_file + "': " + core::errno_text(errno));
}

// With --start-at the wait happens in the workers' loops, forked and ready.
int64_t Run::start_delay_ns() const {
  if (!options_.start_at_unix_ns) return kStartDelayNs;
  const int64_t delay_ns = std::max(kStartDelayNs, *options_.start_at_unix_ns - core::wall_clock_ns());
  if (!options_.quiet) {
    std::fprintf(stderr, "surge: waiting %.1f s for --start-at\n",
                 static_cast<double>(delay_ns) / core::kNsPerSec);
  }
  return delay_ns;
}

void Run::load() {
  while (!pool_->all_exited()) {
    auto ran = loop_->run_once(core::kNsPerSec);
    if (!ran) std::fprintf(stderr, "surge: %s\n", ran.error().message.c_str());
    for (merge::CompletedSecond& second : collector_->take_completed_seconds())
      on_second(second, SecondKind::kLive);
  }
  for (merge::CompletedSecond& second : collector_->take_completed_seconds()) {
    on_second(second, SecondKind::kAfterLastWorker);
  }
}

void Run::on_second(merge::CompletedSecond& second, SecondKind kind) {
  const bool is_live = kind == SecondKind::kLive;
  if (monitor_) second.row.target = monitor_->sample();
  if (is_live && exporter_) {
    if (fault_run_) exporter_->view().active_fault_kinds = fault_run_->timeline().active_kinds();
    export_second(*exporter_, second.row, options_.slas, collector_->totals());
  }
  const double planned_s = static_cast<double>(plan_.total_duration().count()) / core::kNsPerSec;
  if (is_live) progress_->show(second.row, options_.max_requests > 0 ? 0 : planned_s);
  // A second reported before it could have ended is the last one, cut short by the end of the run.
  const int64_t second_end_ns = start_ns_ + static_cast<int64_t>(second.row.second) * core::kNsPerSec;
  const bool is_whole = !is_live || core::monotonic_ns() >= second_end_ns;
  auto sla_stop =
      sla_watch_->on_second(second.row.second, phase_index(plan_, second.row.phase), second.grid, is_whole);
  if (is_live && sla_stop) stop_early(*sla_stop);
  if (partial_) partial_->on_second(second);
  result_.timeseries.push_back(std::move(second.row));
  if (is_live && target_unreachable(*collector_)) {
    stop_early("no connection to the target succeeded during the first second");
  }
}

// The first reason to stop early wins; an interrupted run has its own.
void Run::stop_early(const std::string& reason) {
  if (!result_.stop_reason.empty() || result_.interrupted) return;
  result_.stop_reason = reason;
  pool_->signal_all(SIGTERM);
}

int Run::finish() {
  progress_->finish();
  const int64_t end_ns = core::monotonic_ns();
  if (fault_run_) fault_run_->finish(result_, start_ns_, options_.slas);
  if (builtin_) builtin_->stop();
  if (!pool_->protocol_error().empty()) std::fprintf(stderr, "surge: %s\n", pool_->protocol_error().c_str());
  result_.duration_s = static_cast<double>(std::max<int64_t>(end_ns - start_ns_, 0)) / core::kNsPerSec;
  if (relay_->first_signal_ns() != 0) {
    result_.interrupted_at_s =
        static_cast<double>(std::max<int64_t>(relay_->first_signal_ns() - start_ns_, 0)) / core::kNsPerSec;
  }
  collector_->fill_result(result_, options_.max_requests);
  fault::measure_settle(result_.phases, result_.timeseries, start_ns_, options_.slas);
  fill_generator_figures();
  result_.slas = sla_watch_->outcomes(result_);
  result_.exit_code = results::decide_exit_code(result_);
  if (partial_) result_.segment_keys = partial_->keys(result_, options_.slas, options_.max_requests);
  result_.secrets = plan_.secrets;
  std::fputs(redactor_.redact(report::render_summary(result_)).c_str(), stdout);
  std::fflush(stdout);
  const int output_code = report::write_outputs(result_, options_.outputs);
  if (exporter_) linger_with_final_figures(*exporter_, result_, options_);
  // An output that could not be written is the run failing (1), which wins over an SLA's 99 as in
  // decide_exit_code: CI must not look for a JUnit file that is not there.
  return output_code != 0 ? output_code : result_.exit_code;
}

// The workers' and the coordinator's own cost: CPU time and peak resident memory.
void Run::fill_generator_figures() {
  result_.workers = pool_->outcomes();
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  result_.generator_cpu_s = pool_->cpu_seconds() +
                            static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                            static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
  result_.generator_peak_rss_bytes = pool_->peak_rss_bytes() + own_peak_rss_bytes();
}

int run_plan(const plan::Plan& plan, const RunOptions& options) {
  Run run(plan, options);
  Stage ready = run.prepare();
  if (ready) ready = run.start();
  if (!ready) {
    std::fprintf(stderr, "%s\n", ready.error().message.c_str());
    return ready.error().exit_code;
  }
  run.load();
  return run.finish();
}

}  // namespace surge::run
