#!/usr/bin/env python3
"""Side-by-side generator benchmark (see bench/compare.sh and bench/quick.sh). Only loopback; every process it
starts is stopped by PID. Prints markdown tables: requests/s, CPU µs per request (user + sys of the generator,
getrusage), peak RSS, and surge's CPU ratio to each peer."""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

from generators import PEERS, Surge


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


def start_nginx(workdir, surge):
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


def start_serve(workdir, surge):
    proc = subprocess.Popen(["taskset", "-c", "0", surge, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    return proc, int(line.strip().rsplit(":", 1)[1])


TARGETS = {"nginx": start_nginx, "surge-serve": start_serve}


def served(target, port):
    """Requests the target itself counted so far (surge serve only; None for nginx, whose access log is off)."""
    if target != "surge-serve":
        return None
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__surge/stats", timeout=5) as r:
        return json.load(r)["requests_total"]


def tree_cpu_s(pid):
    """User + system CPU seconds of a process and all its descendants so far (/proc; 10 ms ticks)."""
    total, todo, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(run, target, port, duration, conns, target_pid):
    """One run: (requests/s, CPU µs/request, peak RSS KiB, the target's CPU µs/request). Against surge serve the
    generator's count is checked against the server's: a generator may not report more than the server answered."""
    before = served(target, port)
    target_before = tree_cpu_s(target_pid)
    n, cpu, rss = run()
    target_cpu = tree_cpu_s(target_pid) - target_before
    after = served(target, port)
    if before is not None and n > after - before:
        raise RuntimeError(f"generator reported {n} requests, the target answered {after - before}")
    return n / duration, cpu * 1e6 / max(n, 1), rss, target_cpu * 1e6 / max(n, 1)


def summary(rows):
    """(median requests/s, sorted CPU µs/request, median CPU, peak RSS KiB over the repetitions)."""
    costs = sorted(r[1] for r in rows)
    return statistics.median(r[0] for r in rows), costs, statistics.median(costs), max(r[2] for r in rows)


def print_table(title, target, samples):
    print(f"\n{title}\n")
    print("| target | generator | requests/s (median) | CPU µs/request min / median / max | peak RSS "
          "| surge ÷ peer: CPU, RSS |")
    print("|---|---|---|---|---|---|")
    _, _, surge_cpu, surge_rss = summary(samples["surge"])
    medians = {}
    for name, rows in samples.items():
        rate, costs, medians[name], rss = summary(rows)
        ratio = "" if name == "surge" else f"{surge_cpu / medians[name]:.2f}×, {surge_rss / rss:.2f}×"
        print(f"| {target} | {name} | {rate:,.0f} | {costs[0]:.2f} / {medians[name]:.2f} / {costs[-1]:.2f} "
              f"| {rss / 1024:.1f} MiB | {ratio} |")
    return medians


def print_target_costs(costs, names):
    """The targets' own CPU per request under each generator (closed loop): what the issue's "surge serve as fast
    as nginx per CPU second" is read from."""
    targets = sorted({t for t, _ in costs})
    if not targets:
        return
    print("\nThe target's CPU per request (its whole process tree, /proc), closed loop, median:\n")
    print("| generator | " + " | ".join(f"{t}: µs/request (requests per CPU second)" for t in targets) +
          (" | surge-serve ÷ nginx, requests per CPU second |" if {"nginx", "surge-serve"} <= set(targets) else " |"))
    print("|---" * (len(targets) + 1 + ({"nginx", "surge-serve"} <= set(targets))) + "|")
    for name in names:
        cells = [f"{costs[(t, name)]:.2f} ({1e6 / costs[(t, name)]:,.0f})" if costs.get((t, name)) else "-"
                 for t in targets]
        ratio = ""
        if {"nginx", "surge-serve"} <= set(targets) and costs.get(("nginx", name)) and costs.get(("surge-serve", name)):
            ratio = f" | {costs[('nginx', name)] / costs[('surge-serve', name)]:.2f}×"
        print(f"| {name} | " + " | ".join(cells) + ratio + " |")


def interleaved(gens, reps, one_run):
    samples = {g.name: [] for g in gens}
    for _ in range(reps):
        for g in gens:
            samples[g.name].append(one_run(g))
    return samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--surge", required=True)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--targets", default="nginx,surge-serve")
    ap.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of " + ",".join(PEERS))
    ap.add_argument("--rate", type=int, default=10000, help="requests/s of the constant-rate section (0: none)")
    ap.add_argument("--max-ratio", type=float, help="exit 1 when surge's median CPU/request exceeds this × wrk's")
    ap.add_argument("--surge-base", help="another surge binary (e.g. the main branch's), measured as the peer "
                    "'surge-base' interleaved with --surge: a change's cost side by side in one run")
    args = ap.parse_args()

    for tool in ("taskset", "/usr/bin/time") + (("nginx",) if "nginx" in args.targets.split(",") else ()):
        if not shutil.which(tool):
            sys.exit(f"compare: '{tool}' is missing: run scripts/install-deps.sh")
    surge = Surge(args.surge)
    if not surge.available():
        sys.exit(f"compare: no surge binary at {args.surge}")
    peers = []
    for name in filter(None, args.peers.split(",")):
        if name not in PEERS:
            sys.exit(f"compare: unknown peer '{name}' (known: {', '.join(PEERS)})")
        if PEERS[name].available():
            peers.append(PEERS[name])
        elif args.max_ratio is not None and name == "wrk":
            sys.exit("compare: wrk is missing and --max-ratio compares against it: run scripts/install-deps.sh")
        else:
            print(f"compare: {name} is missing, left out ({PEERS[name].missing_hint})", file=sys.stderr)
    gens = [surge] + peers
    if args.surge_base:
        base = Surge(args.surge_base, "surge-base")
        if not base.available():
            sys.exit(f"compare: no surge binary at {args.surge_base}")
        gens.insert(1, base)

    workdir = tempfile.mkdtemp(prefix="surge-bench-")
    load = os.getloadavg()[0]
    print(f"{os.uname().nodename}, {os.cpu_count()} cores, load average {load:.1f} at start; "
          f"{args.connections} connections, {args.duration} s per run, {args.reps} interleaved repetitions; "
          f"target on core 0, generator on core 1")
    failed = False
    target_costs = {}  # (target, generator) -> the target's median CPU µs per request, closed loop
    for target in args.targets.split(","):
        proc, port = TARGETS[target](workdir, args.surge)
        url = f"http://127.0.0.1:{port}/"
        try:
            samples = interleaved(gens, args.reps, lambda g: measure(
                lambda: g.closed(url, args.connections, args.duration, workdir), target, port, args.duration,
                args.connections, proc.pid))
            medians = print_table(f"Closed loop against {target}:", target, samples)
            if "surge-base" in medians:
                print(f"\n{target}: surge ÷ surge-base, CPU per request: "
                      f"{medians['surge'] / medians['surge-base']:.3f}×")
            for name, rows in samples.items():
                target_costs[(target, name)] = statistics.median(r[3] for r in rows)
            if args.max_ratio is not None and "wrk" in medians:
                ratio = medians["surge"] / medians["wrk"]
                verdict = "ok" if ratio <= args.max_ratio else "TOO SLOW"
                print(f"\n{target}: surge {medians['surge']:.2f} µs/request, wrk {medians['wrk']:.2f}: "
                      f"{ratio:.2f}× (limit {args.max_ratio}×) {verdict}")
                failed |= ratio > args.max_ratio
            if args.rate and target == args.targets.split(",")[0]:
                rate_gens = [g for g in gens if g.holds_rate]
                rate = interleaved(rate_gens, args.reps, lambda g: measure(
                    lambda: g.rate(url, args.connections, args.duration, args.rate, workdir), target, port,
                    args.duration, args.connections, proc.pid))
                rate_medians = print_table(f"Constant rate, {args.rate:,}/s against {target} (open model):",
                                           target, rate)
                if "surge-base" in rate_medians:
                    print(f"\nat {args.rate:,}/s: surge ÷ surge-base, CPU per request: "
                          f"{rate_medians['surge'] / rate_medians['surge-base']:.3f}×")
                print(f"\nsurge at {args.rate:,}/s ÷ surge closed loop, CPU per request: "
                      f"{rate_medians['surge'] / medians['surge']:.2f}×")
                if "floor-epoll" in rate_medians and "floor-epoll" in medians:
                    print(f"floor-epoll at {args.rate:,}/s ÷ floor-epoll closed loop: "
                          f"{rate_medians['floor-epoll'] / medians['floor-epoll']:.2f}× (the design's own floor)")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)
    print_target_costs(target_costs, [g.name for g in gens])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
