"""How bench/compare.py runs each load generator and reads its request count (surge and its peers).

Every generator runs pinned to core 1 (`taskset -c 1`), one thread or process where it has the choice, with
keep-alive, against a URL on loopback. A generator is either closed-loop (C connections, each sends its next
request when the last response is in) or, where the tool can, at a constant rate (open model)."""
import json, os, re, shutil, subprocess, sys, tempfile

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
AUTOCANNON = os.path.join(BENCH_DIR, "peers", "node_modules", "autocannon", "autocannon.js")
PINNED = ["taskset", "-c", "1"]
TIME = "/usr/bin/time"  # GNU time (Debian package time)


def run_measured(argv):
    """Runs argv to completion; returns (stdout, CPU seconds of it and its reaped descendants, peak RSS KiB).

    The peak RSS comes from GNU time, not from our own wait4: Linux carries the RSS of the process that forked
    and exec'd into the new program's ru_maxrss, so a child of this Python process would report at least
    Python's ~20 MiB. time's own footprint (~2 MiB) is the floor instead."""
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.NamedTemporaryFile(mode="r") as rss_file:
        proc = subprocess.Popen([TIME, "-f", "%M", "-o", rss_file.name] + argv, stdout=out,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
        rss_text = rss_file.read().strip().splitlines()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[3]} exited {proc.returncode}: {text[-600:]}")
    return text, usage.ru_utime + usage.ru_stime, int(rss_text[-1])


def number(pattern, text, tool):
    match = re.search(pattern, text, re.M)
    if not match:
        raise RuntimeError(f"{tool}: no match for {pattern!r} in its output:\n{text[-800:]}")
    return int(match.group(1))


class Generator:
    """A measured run gives (requests completed, CPU seconds, peak RSS KiB)."""
    name = ""
    version_argv = None
    missing_hint = "run bench/install-peers.sh"
    holds_rate = False  # whether rate() can keep a fixed request rate (an open model)

    def available(self):
        return shutil.which(self.binary) is not None

    def closed(self, url, conns, duration, workdir):
        raise NotImplementedError

    def rate(self, url, conns, duration, rate, workdir):
        raise NotImplementedError


class Surge(Generator):
    name = "surge"
    holds_rate = True

    def __init__(self, binary, name="surge"):
        self.binary = binary
        self.name = name  # "surge-base": another build of surge, measured in the same run (--surge-base)

    def available(self):
        return os.access(self.binary, os.X_OK)

    def _run(self, extra, url, conns, duration, workdir):
        path = os.path.join(workdir, "surge.json")
        _, cpu, _ = run_measured(PINNED + [self.binary, "run", "--url", url, "-c", str(conns), "-d",
                                           f"{duration}s", "--workers", "1", "--quiet", "--out", f"json={path}"] + extra)
        with open(path) as f:
            results = json.load(f)
        # The outside figure (wait4) is the one compared. surge's own (getrusage of coordinator and worker) is
        # taken before it writes its outputs and exits, so it may be a little lower; more than that is reported.
        # Its peak RSS is the sum over its two processes.
        gen = results["generator"]
        if abs(gen["cpu_s"] - cpu) > 0.05 * cpu + 0.03:
            print(f"compare: surge reported {gen['cpu_s']:.3f} s of CPU, wait4 measured {cpu:.3f} s",
                  file=sys.stderr)
        return results["requests"]["total"], cpu, gen["peak_rss_bytes"] // 1024

    def closed(self, url, conns, duration, workdir):
        return self._run([], url, conns, duration, workdir)

    def rate(self, url, conns, duration, rate, workdir):
        return self._run(["--rate", f"{rate}/s"], url, conns, duration, workdir)


class Wrk(Generator):
    name, binary = "wrk", "wrk"

    def closed(self, url, conns, duration, workdir):
        out, cpu, rss = run_measured(PINNED + ["wrk", "-t1", f"-c{conns}", f"-d{duration}s", url])
        return number(r"(\d+) requests in", out, self.name), cpu, rss


class H2load(Generator):
    name, binary = "h2load", "h2load"

    def closed(self, url, conns, duration, workdir):
        out, cpu, rss = run_measured(PINNED + ["h2load", "--h1", "-t1", f"-c{conns}", f"-D{duration}", url])
        return number(r"^requests: .* (\d+) succeeded", out, self.name), cpu, rss


class Ab(Generator):
    name, binary = "ab", "ab"

    def closed(self, url, conns, duration, workdir):
        # -t alone caps at 50,000 requests; -n lifts the cap so the duration decides.
        out, cpu, rss = run_measured(PINNED + ["ab", "-q", "-k", "-c", str(conns), "-t", str(duration),
                                               "-n", "100000000", url])
        return number(r"^Complete requests:\s+(\d+)", out, self.name), cpu, rss


class Hey(Generator):
    name, binary = "hey", "hey"
    holds_rate = True

    def _run(self, extra, url, conns, duration):
        out, cpu, rss = run_measured(PINNED + ["hey", "-cpus", "1", "-c", str(conns), "-z", f"{duration}s",
                                               "-disable-compression"] + extra + [url])
        return number(r"\[200\]\s+(\d+) responses", out, self.name), cpu, rss

    def closed(self, url, conns, duration, workdir):
        return self._run([], url, conns, duration)

    def rate(self, url, conns, duration, rate, workdir):
        return self._run(["-q", f"{rate / conns:g}"], url, conns, duration)  # -q is per worker


class Autocannon(Generator):
    name, binary = "autocannon", "node"
    holds_rate = True

    def available(self):
        return shutil.which("node") is not None and os.path.exists(AUTOCANNON)

    def _run(self, extra, url, conns, duration):
        out, cpu, rss = run_measured(PINNED + ["node", AUTOCANNON, "--json", "-c", str(conns), "-d",
                                               str(duration)] + extra + [url])
        start = out.find('{"')
        if start < 0:
            raise RuntimeError(f"autocannon printed no JSON:\n{out[-800:]}")
        result = json.loads(out[start:out.rindex("}") + 1])
        return result["2xx"] + result["non2xx"], cpu, rss

    def closed(self, url, conns, duration, workdir):
        return self._run([], url, conns, duration)

    def rate(self, url, conns, duration, rate, workdir):
        return self._run(["--overallRate", str(rate)], url, conns, duration)


class Floor(Generator):
    """bench/floor/floor_client.c: the least a client can do per request here (no latencies, no parsing), closed
    loop with epoll or with io_uring, and at a fixed rate with epoll; built with gcc and liburing on first use
    into build/."""
    missing_hint = "install gcc and liburing-dev (bench/install-peers.sh)"
    SOURCE = os.path.join(BENCH_DIR, "floor", "floor_client.c")
    BINARY = os.path.join(BENCH_DIR, "..", "build", "floor_client")

    def __init__(self, mode):
        self.mode, self.name, self.binary = mode, f"floor-{mode}", "gcc"
        self.holds_rate = mode == "epoll"  # the open model's floor: sleep to the next send, responses batched

    def available(self):
        return shutil.which("gcc") is not None and os.path.exists("/usr/include/liburing.h")

    def _build(self):
        if os.path.exists(self.BINARY) and os.path.getmtime(self.BINARY) >= os.path.getmtime(self.SOURCE):
            return
        os.makedirs(os.path.dirname(self.BINARY), exist_ok=True)
        subprocess.run(["gcc", "-O2", "-Wall", "-o", self.BINARY, self.SOURCE, "-luring"], check=True)

    def closed(self, url, conns, duration, workdir):
        return self._run(url, conns, duration, [])

    def rate(self, url, conns, duration, rate, workdir):
        return self._run(url, conns, duration, [str(rate)])

    def _run(self, url, conns, duration, extra):
        self._build()
        match = re.match(r"http://([\d.]+):(\d+)(/.*)?$", url)
        if not match:
            raise RuntimeError(f"floor client: needs http://IPv4:PORT/PATH, got {url}")
        host, port, path = match.group(1), match.group(2), match.group(3) or "/"
        out, cpu, rss = run_measured(PINNED + [self.BINARY, self.mode, host, port, path, str(conns), str(duration)]
                                     + extra)
        return number(r"^requests (\d+)", out, self.name), cpu, rss


PEERS = {g.name: g for g in (Wrk(), H2load(), Ab(), Hey(), Autocannon(), Floor("epoll"), Floor("uring"))}
