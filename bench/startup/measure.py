#!/usr/bin/env python3
"""Start-up benchmark: time from process spawn to the first answered HTTP request, and idle RSS.

Each subject is a command line with a {port} placeholder and a path to poll. Runs are interleaved
(A, B, A, B, ...) so that whatever else the machine is doing weighs on every subject alike.

    measure.py -n 10 --out results/run.json \
        --subject terrarium /_terrarium/health './terrarium --port {port}' \
        --subject moto /moto-api/ 'moto_server -p {port}'

Start time: from just before spawning the process to the first response with a status below 500,
polling every 5 ms over a fresh connection. CPU: user + system time the process tree had used by
then (steadier than wall time on a busy machine). RSS: VmRSS summed over the process and its descendants,
read from /proc 1 s after that first answer (the process is idle by then).
"""
import argparse
import http.client
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time

POLL_INTERVAL_S = 0.005
IDLE_WAIT_S = 1.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answered(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", path)
        return conn.getresponse().status < 500
    except OSError:
        return False
    finally:
        conn.close()


def children(pid):
    """Direct children of pid, from /proc/<pid>/task/*/children."""
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def tree(pid):
    """pid and all its descendants."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children(p))
    return found


def tree_rss_kib(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid):
    """User + system CPU time of pid and its descendants, including their reaped children."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            # after the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based overall
            total += sum(int(x) for x in fields[11:15])
        except OSError:
            pass
    return total / CLOCK_TICKS


def stop(proc):
    if proc.poll() is not None:
        return
    # The subject may be a launcher with children: signal the whole process group.
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run_once(command, path, timeout_s, log):
    port = free_port()
    argv = shlex.split(command.replace("{port}", str(port)))
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        while True:
            if answered(port, path):
                start_s = time.perf_counter() - t0
                cpu_s = tree_cpu_s(proc.pid)
                break
            if proc.poll() is not None:
                raise RuntimeError(f"exited with {proc.returncode} before answering: {command}")
            if time.perf_counter() - t0 > timeout_s:
                raise RuntimeError(f"no answer within {timeout_s} s: {command}")
            time.sleep(POLL_INTERVAL_S)
        time.sleep(IDLE_WAIT_S)
        rss_kib = tree_rss_kib(proc.pid)
    finally:
        stop(proc)
    return start_s, cpu_s, rss_kib


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10, help="measured runs per subject (default 10)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured runs per subject first (default 1)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for a first answer")
    ap.add_argument("--out", help="write all samples and medians to this JSON file")
    ap.add_argument("--summary", help="append a one-line summary to this file")
    ap.add_argument("--note", default="", help="free text for the summary line (commit, JDK, ...)")
    ap.add_argument("--log", default=os.devnull, help="append the subjects' output to this file")
    ap.add_argument("--subject", nargs=3, action="append", required=True, metavar=("NAME", "PATH", "COMMAND"))
    args = ap.parse_args()

    samples = {name: {"start_s": [], "cpu_s": [], "rss_mib": []} for name, _, _ in args.subject}
    with open(args.log, "ab") as log:
        for name, path, command in args.subject:
            for _ in range(args.warmup):
                run_once(command, path, max(args.timeout, 600), log)
        for i in range(args.n):
            for name, path, command in args.subject:
                start_s, cpu_s, rss_kib = run_once(command, path, args.timeout, log)
                samples[name]["start_s"].append(round(start_s, 4))
                samples[name]["cpu_s"].append(round(cpu_s, 3))
                samples[name]["rss_mib"].append(round(rss_kib / 1024, 1))
                print(f"  run {i + 1:2d} {name:16s} {start_s * 1000:7.0f} ms {cpu_s * 1000:7.0f} ms CPU "
                      f"{rss_kib / 1024:7.1f} MiB", file=sys.stderr, flush=True)

    result = {"runs": args.n, "subjects": {}}
    for name, path, command in args.subject:
        s = samples[name]
        result["subjects"][name] = {
            "command": command, "path": path,
            "median_start_s": round(statistics.median(s["start_s"]), 4),
            "median_cpu_s": round(statistics.median(s["cpu_s"]), 3),
            "median_rss_mib": round(statistics.median(s["rss_mib"]), 1),
            "min_start_s": min(s["start_s"]), "max_start_s": max(s["start_s"]),
            **s,
        }

    print(f"{'subject':16s} {'start':>9s} {'CPU to start':>13s} {'idle RSS':>10s}   (medians of {args.n})")
    for name, r in result["subjects"].items():
        print(f"{name:16s} {r['median_start_s'] * 1000:6.0f} ms {r['median_cpu_s'] * 1000:10.0f} ms "
              f"{r['median_rss_mib']:6.1f} MiB")
    names = list(result["subjects"])
    if len(names) >= 2:
        a, b = (result["subjects"][n] for n in names[:2])
        result["ratios"] = {
            "start": round(a["median_start_s"] / b["median_start_s"], 2),
            "rss": round(a["median_rss_mib"] / b["median_rss_mib"], 2),
        }
        print(f"ratio {names[0]}/{names[1]}: start {result['ratios']['start']:.2f}x, "
              f"RSS {result['ratios']['rss']:.2f}x (below 1 means {names[0]} is ahead)")
    if args.summary:
        parts = [f"{n} {r['median_start_s']:.3f} s {r['median_rss_mib']:.1f} MiB"
                 for n, r in result["subjects"].items()]
        if "ratios" in result:
            parts.append(f"ratio start {result['ratios']['start']:.2f}x RSS {result['ratios']['rss']:.2f}x")
        line = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()) + "  " + " | ".join(parts)
        line += f"  (median of {args.n}{', ' + args.note if args.note else ''})"
        with open(args.summary, "a") as f:
            f.write(line + "\n")
        print(line)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
