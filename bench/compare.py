#!/usr/bin/env python3
"""Side-by-side generator benchmark (see bench/compare.sh). Only loopback; every process is stopped by PID."""
import argparse, json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"port {port} never opened")


def start_nginx(workdir):
    port = free_port()
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1; daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log;
events {{ worker_connections 4096; }}
http {{ access_log off; keepalive_requests 100000000;
  client_body_temp_path {workdir}; proxy_temp_path {workdir}; fastcgi_temp_path {workdir};
  uwsgi_temp_path {workdir}; scgi_temp_path {workdir};
  server {{ listen 127.0.0.1:{port}; location / {{ return 200 "hello\\n"; }} }} }}
""")
    proc = subprocess.Popen(["taskset", "-c", "0", "nginx", "-p", workdir, "-c", conf])
    wait_port(port)
    return proc, port


def start_serve(surge):
    proc = subprocess.Popen(["taskset", "-c", "0", surge, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    port = int(line.strip().rsplit(":", 1)[1])
    return proc, port


def run_measured(argv):
    """Runs argv to completion; returns (stdout, CPU seconds of it and its reaped descendants, its peak RSS KiB)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        out.seek(0)
        return out.read(), usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def run_wrk(port, conns, duration):
    out, cpu, rss = run_measured(["taskset", "-c", "1", "wrk", "-t1", f"-c{conns}", f"-d{duration}s",
                                  f"http://127.0.0.1:{port}/"])
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return requests, cpu, rss


def run_surge(surge, port, conns, duration, workdir):
    path = os.path.join(workdir, "surge.json")
    run_measured(["taskset", "-c", "1", surge, "run", "--url", f"http://127.0.0.1:{port}/", "-c", str(conns),
                  "-d", f"{duration}s", "--workers", "1", "--quiet", "--out", f"json={path}"])
    with open(path) as f:
        results = json.load(f)
    # The coordinator's own CPU is in the tree too (it is part of what surge costs).
    return results["requests"]["total"], results["generator"]["cpu_s"], results["generator"]["peak_rss_bytes"] // 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--surge", required=True)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    for tool in ("wrk", "nginx", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"compare: '{tool}' is missing: run scripts/install-deps.sh")
    workdir = tempfile.mkdtemp(prefix="surge-bench-")
    print(f"# {os.uname().nodename}, {os.cpu_count()} cores, {args.connections} connections, "
          f"{args.duration}s per run, {args.reps} interleaved repetitions")
    print(f"{'target':<12} {'generator':<10} {'req/s (median)':>15} {'CPU us/req min/med/max':>26} {'peak RSS':>10}")
    for target in ("nginx", "surge-serve"):
        proc, port = start_nginx(workdir) if target == "nginx" else start_serve(args.surge)
        try:
            samples = {"wrk": [], "surge": []}
            for _ in range(args.reps):
                for gen in ("wrk", "surge"):
                    if gen == "wrk":
                        n, cpu, rss = run_wrk(port, args.connections, args.duration)
                    else:
                        n, cpu, rss = run_surge(args.surge, port, args.connections, args.duration, workdir)
                    samples[gen].append((n / args.duration, cpu * 1e6 / max(n, 1), rss))
            medians = {}
            for gen, rows in samples.items():
                rates = [r[0] for r in rows]
                costs = sorted(r[1] for r in rows)
                medians[gen] = statistics.median(costs)
                print(f"{target:<12} {gen:<10} {statistics.median(rates):>15,.0f} "
                      f"{costs[0]:>8.2f} /{medians[gen]:>6.2f} /{costs[-1]:>6.2f} {max(r[2] for r in rows):>8} KiB")
            print(f"{target:<12} surge/wrk CPU per request: {medians['surge'] / medians['wrk']:.2f}x")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
