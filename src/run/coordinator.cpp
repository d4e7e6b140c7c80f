// run_plan: the life of one run, in order — target, compile, fork, merge until every worker is gone, report.
#include "run/coordinator.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "core/clock.h"
#include "core/errno_text.h"
#include "core/event_loop.h"
#include "core/redaction.h"
#include "observe/exporter.h"
#include "report/outputs.h"
#include "report/summary.h"
#include "run/builtin_target.h"
#include "run/collector.h"
#include "run/exit_code.h"
#include "run/fault_run.h"
#include "run/progress.h"
#include "run/recovery.h"
#include "run/target_monitor.h"
#include "run/worker_pool.h"
#include "scenario/compiled_plan.h"
#include "sla/measure.h"
#include "sla/watch.h"

namespace surge::run {
namespace {

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

// Workers start together a little after the fork, so all of them are ready when phase 0 begins.
constexpr int64_t kStartDelayNs = 50 * core::kNsPerMs;

// A forced stop leaves a worker this long to send its last snapshot before it is killed (it only has to
// write one frame to its pipe, so a live worker needs microseconds).
constexpr int64_t kForcedStopNs = core::kNsPerSec;

// Ctrl-C and SIGTERM. The first stop lets requests in flight finish for at most --grace; a second signal, or
// the grace running out, makes the workers send what they counted and leave at once (their requests in
// flight have no outcome); a worker that still has not left kForcedStopNs later is killed.
class SignalRelay final : public core::EventHandler, private core::Timer {
 public:
  SignalRelay(int fd, core::EventLoop& loop, WorkerPool& pool, results::RunResult& result, int64_t grace_ns)
      : fd_(fd), loop_(loop), pool_(pool), result_(result), grace_ns_(grace_ns) {}
  ~SignalRelay() override { loop_.cancel(*this); }

  void on_event(uint32_t) override {
    signalfd_siginfo info;
    while (read(fd_, &info, sizeof info) == sizeof info) step_up();
  }
  // When the first signal came, on the monotonic clock; 0 if none did.
  int64_t first_signal_ns() const { return first_signal_ns_; }

 private:
  void on_timer() override { step_up(); }

  void step_up() {
    ++stops_;
    loop_.cancel(*this);
    if (stops_ == 1) {
      result_.interrupted = true;
      first_signal_ns_ = core::monotonic_ns();
      pool_.signal_all(SIGTERM);
      loop_.schedule(*this, first_signal_ns_ + grace_ns_);
    } else if (stops_ == 2) {
      pool_.signal_all(SIGTERM);  // a worker's second SIGTERM: flush and exit
      loop_.schedule(*this, core::monotonic_ns() + kForcedStopNs);
    } else {
      pool_.signal_all(SIGKILL);
    }
  }

  int fd_;
  core::EventLoop& loop_;
  WorkerPool& pool_;
  results::RunResult& result_;
  int64_t grace_ns_;
  int stops_ = 0;
  int64_t first_signal_ns_ = 0;
};

// Stops a run whose target never accepted a connection: every attempt failed to connect for a whole second.
bool target_unreachable(const Collector& collector) {
  const metrics::ConnectionStats connections = collector.totals().connections_total();
  return connections.opened == 0 && connections.failed > 0;
}

std::vector<std::string> phase_names(const plan::Plan& plan) {
  std::vector<std::string> names;
  for (const plan::Phase& phase : plan.phases) names.push_back(phase.name);
  return names;
}

results::RunShape run_shape(const plan::Plan& plan, const scenario::CompiledPlan& compiled,
                            const std::string& target_url) {
  results::RunShape shape;
  shape.plan_name = plan.name;
  shape.target = plan.builtin_target ? "builtin (" + target_url + ")" : target_url;
  for (const plan::Phase& phase : plan.phases) {
    results::PhaseInfo info;
    info.name = phase.name;
    info.model = std::string(plan::to_string(phase.model));
    if (shape.mode.find(info.model) == std::string::npos)
      shape.mode += (shape.mode.empty() ? "" : "+") + info.model;
    info.planned_duration_s = static_cast<double>(phase.duration.count()) / core::kNsPerSec;
    info.stable_s = static_cast<double>(phase.stable.count()) / core::kNsPerSec;
    shape.phases.push_back(info);
  }
  for (const scenario::StepInfo& info : compiled.steps) {
    shape.steps.push_back({info.scenario, info.name, info.is_request, info.group, info.is_round_trip});
  }
  for (const scenario::GroupInfo& group : compiled.groups)
    shape.groups.push_back({group.scenario, group.name, group.path});
  for (const scenario::CheckInfo& check : compiled.checks) shape.checks.push_back({check.step, check.name});
  for (const scenario::CompiledMetric& metric : compiled.metrics) {
    using Kind = plan::CustomMetric::Kind;
    shape.custom_metrics.push_back({metric.name, metric.kind == Kind::kRate      ? "rate"
                                                 : metric.kind == Kind::kCounter ? "counter"
                                                                                 : "trend"});
  }
  return shape;
}

size_t phase_index(const plan::Plan& plan, const std::string& name) {
  for (size_t i = 0; i < plan.phases.size(); ++i) {
    if (plan.phases[i].name == name) return i;
  }
  return 0;
}

// --prometheus: the dashboard's SLA lines are the bounds of the latency SLAs, in seconds.
std::optional<double> latency_threshold_s(const sla::Sla& sla) {
  const std::string& unit = sla.expression.unit;
  const double seconds_per_unit = unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "us" ? 1e-6 : 1e-9;
  if (sla.metric != sla::Metric::kLatency || !sla.expression.statistic) return std::nullopt;
  return sla.expression.threshold * seconds_per_unit;
}

observe::LiveView live_view(const plan::Plan& plan, const results::RunResult& result,
                            const std::vector<sla::Sla>& slas) {
  observe::LiveView view;
  for (const plan::FaultEntry& fault : plan.faults) {
    std::string kind(plan::to_string(fault.kind));
    if (std::find(view.fault_kinds.begin(), view.fault_kinds.end(), kind) == view.fault_kinds.end()) {
      view.fault_kinds.push_back(std::move(kind));
    }
  }
  view.shape = result.shape();
  for (const sla::Sla& sla : slas) {
    view.slas.push_back({sla.expression.text, observe::SlaVerdict::kUnknown, latency_threshold_s(sla)});
  }
  return view;
}

// One more second for /metrics: its gauges, and surge_sla_pass of each SLA on the run so far (windowed ones
// too; their verdict on the worst window replaces it when the run ends).
void export_second(observe::Exporter& exporter, const results::SecondRow& row,
                   const std::vector<sla::Sla>& slas, const metrics::StatsGrid& totals) {
  exporter.on_second(row);
  for (size_t i = 0; i < slas.size(); ++i) {
    sla::Reduction so_far;
    sla::reduce(slas[i], totals, so_far);
    so_far.seconds = static_cast<double>(row.second);  // second k ends k seconds after the start
    const sla::Expression& expression = slas[i].expression;
    const std::optional<double> actual = sla::measure(slas[i], so_far);
    const bool holds = actual && sla::holds(*actual, expression.comparison, expression.threshold);
    exporter.view().slas[i].verdict = !actual ? observe::SlaVerdict::kUnknown
                                      : holds ? observe::SlaVerdict::kPass
                                              : observe::SlaVerdict::kFail;
  }
  exporter.publish(totals);
}

// After the outputs: /metrics shows the final figures and verdicts for --linger (a signal ends it; an
// interrupted run does not linger).
void linger_with_final_figures(observe::Exporter& exporter, const results::RunResult& result,
                               const RunOptions& options) {
  for (size_t i = 0; i < result.slas.size() && i < exporter.view().slas.size(); ++i) {
    exporter.view().slas[i].verdict =
        result.slas[i].pass ? observe::SlaVerdict::kPass : observe::SlaVerdict::kFail;
  }
  exporter.finish(result.grid);
  exporter.linger(options.linger, result.interrupted);
}

}  // namespace

int run_plan(const plan::Plan& plan, const RunOptions& options) {
  if (options.start_at_unix_ns && *options.start_at_unix_ns < core::wall_clock_ns() - kStartAtToleranceNs) {
    std::fprintf(stderr,
                 "surge run: --start-at lies %.1f s in the past (at most 1 s is allowed): pick a time "
                 "far enough ahead for every segment to start\n",
                 static_cast<double>(core::wall_clock_ns() - *options.start_at_unix_ns) / core::kNsPerSec);
    return 2;
  }
  std::optional<BuiltinTarget> builtin;
  std::string target_url = plan.target_url;
  if (plan.builtin_target) {
    auto started = BuiltinTarget::start();
    if (!started) {
      std::fprintf(stderr, "surge: %s\n", started.error().message.c_str());
      return 1;
    }
    builtin.emplace(std::move(started).value());
    target_url = builtin->url();
  }
  const core::Redactor redactor(plan.secrets);
  auto compiled = scenario::compile_plan(plan, target_url);
  if (!compiled) {
    std::fprintf(stderr, "surge: %s\n", redactor.redact(compiled.error().message).c_str());
    return 1;
  }
  if (auto families = scenario::check_source_families(plan, *compiled); !families) {
    std::fprintf(stderr, "%s\n", families.error().message.c_str());
    return 2;
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  int signal_fd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);

  auto loop = core::EventLoop::create();
  if (!loop) {
    std::fprintf(stderr, "surge: %s\n", loop.error().message.c_str());
    return 1;
  }
  std::unique_ptr<FaultRun> fault_run;  // `proxy:` and `faults:` (docs/faults.md); before the fork
  if (plan.proxy || !plan.faults.empty()) {
    auto prepared = FaultRun::prepare(**loop, plan, target_url, *compiled);
    if (!prepared) {
      std::fprintf(stderr, "surge: %s\n", prepared.error().message.c_str());
      return 1;
    }
    fault_run = std::move(prepared).value();
  }
  Collector collector(phase_names(plan), compiled->steps.size(), options.workers);
  WorkerPool pool(**loop, collector);
  results::RunResult result;
  result.shape() = run_shape(plan, *compiled, target_url);
  SignalRelay relay(signal_fd, **loop, pool, result, options.grace.count());
  if (signal_fd >= 0) (void)(*loop)->add(signal_fd, EPOLLIN, &relay);
  std::unique_ptr<observe::Exporter> exporter;  // after the loop: it must go first
  if (options.prometheus) {
    auto exporting =
        observe::Exporter::start(**loop, *options.prometheus, live_view(plan, result, options.slas));
    if (!exporting) {
      std::fprintf(stderr, "surge run: --prometheus %s: %s\n", options.prometheus->to_string().c_str(),
                   exporting.error().message.c_str());
      return 2;
    }
    exporter = std::move(exporting).value();
    exporter->require_bearer_token(options.prometheus_token);
    if (!options.quiet) {
      std::fprintf(stderr, "surge: Prometheus metrics on http://%s/metrics\n",
                   exporter->address().to_string().c_str());
    }
  }

  // The target is sampled from just before the load (the baseline) to the end; a plan's target_pid or
  // --target-pid names it, and the built-in target is always monitored.
  std::optional<TargetMonitor> monitor;
  const int target_pid = options.target_pid != 0 ? options.target_pid : plan.target_pid;
  if (target_pid != 0)
    monitor.emplace(target_pid);
  else if (builtin)
    monitor.emplace(builtin->pid());
  if (monitor) {
    if (auto baseline = monitor->sample()) {
      result.target_monitoring = results::TargetMonitoring{monitor->pid(), *baseline};
    } else {
      std::fprintf(stderr, "surge: warning: target process %d not found; the target is not monitored\n",
                   monitor->pid());
      monitor.reset();
    }
  }

  WorkerSetup setup;
  setup.plan = &plan;
  setup.compiled = &*compiled;
  setup.max_requests = options.max_requests;
  setup.seed = options.seed;
  setup.log_requests = options.log_requests;
  if (!options.log_requests_file.empty()) {
    setup.log_fd = open(options.log_requests_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (setup.log_fd < 0) {
      std::fprintf(stderr, "surge run: cannot open --log-requests-file '%s': %s\n",
                   options.log_requests_file.c_str(), core::errno_text(errno).c_str());
      return 2;
    }
  }
  if (options.segment) setup.segment = options.segment->segment;
  int64_t start_delay_ns = kStartDelayNs;
  if (options.start_at_unix_ns) {  // the wait happens in the workers' loops, forked and ready
    start_delay_ns = std::max(kStartDelayNs, *options.start_at_unix_ns - core::wall_clock_ns());
    if (!options.quiet) {
      std::fprintf(stderr, "surge: waiting %.1f s for --start-at\n",
                   static_cast<double>(start_delay_ns) / core::kNsPerSec);
    }
  }
  setup.start_ns = core::monotonic_ns() + start_delay_ns;
  result.started_at_unix_ms = (core::wall_clock_ns() + start_delay_ns) / core::kNsPerMs;
  auto started = pool.start(setup, options.workers);
  if (!started) {
    std::fprintf(stderr, "surge: %s\n", started.error().message.c_str());
    pool.signal_all(SIGKILL);
    return 1;
  }
  if (fault_run) {
    if (auto proxying = fault_run->start(setup.start_ns); !proxying) {
      std::fprintf(stderr, "surge: %s\n", proxying.error().message.c_str());
      pool.signal_all(SIGKILL);
      return 2;
    }
  }

  const double planned_s = static_cast<double>(plan.total_duration().count()) / core::kNsPerSec;
  std::vector<double> phase_durations_s;
  for (const plan::Phase& phase : plan.phases) {
    phase_durations_s.push_back(static_cast<double>(phase.duration.count()) / core::kNsPerSec);
  }
  Progress progress(options.quiet, options.max_requests > 0 ? std::vector<double>{} : phase_durations_s);
  sla::SlaWatch sla_watch(options.slas);
  std::optional<PartialRecorder> partial;
  if (options.segment) partial.emplace(*options.segment);
  while (!pool.all_exited()) {
    auto ran = (*loop)->run_once(core::kNsPerSec);
    if (!ran) std::fprintf(stderr, "surge: %s\n", ran.error().message.c_str());
    for (CompletedSecond& second : collector.take_completed_seconds()) {
      if (monitor) second.row.target = monitor->sample();
      if (exporter && fault_run) exporter->view().active_fault_kinds = fault_run->timeline().active_kinds();
      if (exporter) export_second(*exporter, second.row, options.slas, collector.totals());
      progress.show(second.row, options.max_requests > 0 ? 0 : planned_s);
      // A second reported before it could have ended is the last one, cut short by the end of the run.
      const int64_t second_end_ns =
          setup.start_ns + static_cast<int64_t>(second.row.second) * core::kNsPerSec;
      const bool is_whole = core::monotonic_ns() >= second_end_ns;
      auto sla_stop =
          sla_watch.on_second(second.row.second, phase_index(plan, second.row.phase), second.grid, is_whole);
      if (sla_stop && result.stop_reason.empty() && !result.interrupted) {
        result.stop_reason = *sla_stop;
        pool.signal_all(SIGTERM);
      }
      if (partial) partial->on_second(second);
      result.timeseries.push_back(std::move(second.row));
      if (result.stop_reason.empty() && !result.interrupted && target_unreachable(collector)) {
        result.stop_reason = "no connection to the target succeeded during the first second";
        pool.signal_all(SIGTERM);
      }
    }
  }
  for (CompletedSecond& second : collector.take_completed_seconds()) {
    if (monitor) second.row.target = monitor->sample();
    (void)sla_watch.on_second(second.row.second, phase_index(plan, second.row.phase), second.grid);
    if (partial) partial->on_second(second);
    result.timeseries.push_back(std::move(second.row));
  }
  progress.finish();
  int64_t end_ns = core::monotonic_ns();
  if (fault_run) fault_run->finish(result, setup.start_ns, options.slas);
  if (builtin) builtin->stop();
  if (!pool.protocol_error().empty()) std::fprintf(stderr, "surge: %s\n", pool.protocol_error().c_str());

  result.duration_s = static_cast<double>(std::max<int64_t>(end_ns - setup.start_ns, 0)) / core::kNsPerSec;
  if (relay.first_signal_ns() != 0) {
    result.interrupted_at_s =
        static_cast<double>(std::max<int64_t>(relay.first_signal_ns() - setup.start_ns, 0)) / core::kNsPerSec;
  }
  collector.fill_result(result, options.max_requests);
  measure_settle(result.phases, result.timeseries, setup.start_ns, options.slas);
  result.workers = pool.outcomes();
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  result.generator_cpu_s = pool.cpu_seconds() +
                           static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                           static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
  result.generator_peak_rss_bytes = pool.peak_rss_bytes() + own_peak_rss_bytes();
  result.slas = sla_watch.outcomes(result);
  result.exit_code = decide_exit_code(result);
  if (partial) result.segment_keys = partial->keys(result, options.slas, options.max_requests);

  result.secrets = plan.secrets;
  std::fputs(redactor.redact(report::render_summary(result)).c_str(), stdout);
  std::fflush(stdout);
  int output_code = report::write_outputs(result, options.outputs);
  if (exporter) linger_with_final_figures(*exporter, result, options);
  // An output that could not be written is the run failing (1), which wins over an SLA's 99 as in
  // decide_exit_code: CI must not look for a JUnit file that is not there.
  return output_code != 0 ? output_code : result.exit_code;
}

}  // namespace surge::run
