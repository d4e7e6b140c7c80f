#!/usr/bin/env python3
"""Peak memory of each generator's processes, as the kernel splits it: Rss (every mapped page, shared ones in
every process), Pss (a shared page divided among the processes that map it), private pages and anonymous
memory. Reads /proc/PID/smaps_rollup of the generator's process tree every 0.3 s during a closed-loop run
against nginx (1 worker) on loopback and prints each process's peaks and their sums.
    python3 bench/memory_breakdown.py [--surge build/surge] [--reps 2] [--duration 4] [--connections 50]"""
import argparse, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (its nginx starter)

FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Anonymous")


def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except FileNotFoundError:
            pass
    return out


def rollup(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[2] == "kB":
                    values[parts[0].rstrip(":")] = int(parts[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return values


def measure(argv):
    """Each process's peak of every field (kB), keyed by pid, over one run of argv."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = {}
    while proc.poll() is None:
        time.sleep(0.3)
        for pid in tree(proc.pid):
            values = rollup(pid)
            if values:
                old = peaks.get(pid, {})
                peaks[pid] = {k: max(values.get(k, 0), old.get(k, 0)) for k in FIELDS}
    return peaks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--surge", default="build/surge")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    work = tempfile.mkdtemp()
    nginx, port = compare.start_nginx(work, args.surge)
    url = f"http://127.0.0.1:{port}/"
    c, d = str(args.connections), f"{args.duration}s"
    generators = {
        "surge": ["taskset", "-c", "1", args.surge, "run", "--url", url, "-c", c, "-d", d, "--workers", "1", "--quiet"],
        "wrk": ["taskset", "-c", "1", "wrk", "-t1", f"-c{c}", f"-d{d}", url],
    }
    try:
        print("| generator | run | Rss per process (kB) | Rss sum | Pss sum | private sum | anonymous sum |")
        print("|---|---|---|---|---|---|---|")
        for rep in range(args.reps):
            for name, argv in generators.items():
                peaks = measure(argv)
                total = lambda key: sum(p[key] for p in peaks.values())  # noqa: E731
                private = sum(p["Private_Clean"] + p["Private_Dirty"] for p in peaks.values())
                each = " + ".join(str(p["Rss"]) for p in peaks.values())
                print(f"| {name} | {rep + 1} | {each} | {total('Rss') / 1024:.1f} MiB | {total('Pss') / 1024:.1f} MiB "
                      f"| {private / 1024:.1f} MiB | {total('Anonymous') / 1024:.1f} MiB |")
    finally:
        nginx.terminate()
        nginx.wait()


if __name__ == "__main__":
    main()
