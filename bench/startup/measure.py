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
read from /proc 1 s after that first answer (or after the STS answer, with --sts; the process is
idle by then). With --sts, a signed
STS GetCallerIdentity is sent as soon as PATH answers, timed from spawn to its answer: the first real
AWS call, which loads a service, its model and its codec.
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


def sts_client(port):
    """A botocore STS client for the first real AWS call (signed, test/test, no retries)."""
    import botocore.session
    from botocore.config import Config
    return botocore.session.get_session().create_client(
        "sts", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=30))


def run_once(command, path, timeout_s, log, with_sts):
    port = free_port()
    argv = shlex.split(command.replace("{port}", str(port)))
    sts = sts_client(port) if with_sts else None
    sts_s = None
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
        if sts:
            sts.get_caller_identity()
            sts_s = time.perf_counter() - t0
        time.sleep(IDLE_WAIT_S)
        rss_kib = tree_rss_kib(proc.pid)
    finally:
        stop(proc)
    return start_s, cpu_s, rss_kib, sts_s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10, help="measured runs per subject (default 10)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured runs per subject first (default 1)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for a first answer")
    ap.add_argument("--out", help="write all samples and medians to this JSON file")
    ap.add_argument("--summary", help="append a one-line summary to this file")
    ap.add_argument("--note", default="", help="free text for the summary line (commit, JDK, ...)")
    ap.add_argument("--log", default=os.devnull, help="append the subjects' output to this file")
    ap.add_argument("--sts", action="store_true",
                    help="also time a first signed STS GetCallerIdentity, sent as soon as PATH answers")
    ap.add_argument("--subject", nargs=3, action="append", required=True, metavar=("NAME", "PATH", "COMMAND"))
    args = ap.parse_args()

    samples = {name: {"start_s": [], "cpu_s": [], "sts_s": [], "rss_mib": []} for name, _, _ in args.subject}
    with open(args.log, "ab") as log:
        for name, path, command in args.subject:
            for _ in range(args.warmup):
                run_once(command, path, max(args.timeout, 600), log, args.sts)
        for i in range(args.n):
            for name, path, command in args.subject:
                start_s, cpu_s, rss_kib, sts_s = run_once(command, path, args.timeout, log, args.sts)
                if sts_s is not None:
                    samples[name]["sts_s"].append(round(sts_s, 4))
                samples[name]["start_s"].append(round(start_s, 4))
                samples[name]["cpu_s"].append(round(cpu_s, 3))
                samples[name]["rss_mib"].append(round(rss_kib / 1024, 1))
                sts_text = f" {sts_s * 1000:7.0f} ms to STS" if sts_s is not None else ""
                print(f"  run {i + 1:2d} {name:16s} {start_s * 1000:7.0f} ms {cpu_s * 1000:7.0f} ms CPU "
                      f"{rss_kib / 1024:7.1f} MiB{sts_text}", file=sys.stderr, flush=True)

    result = {"runs": args.n, "subjects": {}}
    for name, path, command in args.subject:
        s = samples[name]
        result["subjects"][name] = {
            "command": command, "path": path,
            "median_start_s": round(statistics.median(s["start_s"]), 4),
            "median_cpu_s": round(statistics.median(s["cpu_s"]), 3),
            "median_sts_s": round(statistics.median(s["sts_s"]), 4) if s["sts_s"] else None,
            "median_rss_mib": round(statistics.median(s["rss_mib"]), 1),
            "min_start_s": min(s["start_s"]), "max_start_s": max(s["start_s"]),
            **s,
        }

    sts_head = f" {'first STS call':>15s}" if args.sts else ""
    print(f"{'subject':16s} {'start':>9s} {'CPU to start':>13s} {'idle RSS':>10s}{sts_head}   (medians of {args.n})")
    for name, r in result["subjects"].items():
        sts_text = f" {r['median_sts_s'] * 1000:12.0f} ms" if args.sts else ""
        print(f"{name:16s} {r['median_start_s'] * 1000:6.0f} ms {r['median_cpu_s'] * 1000:10.0f} ms "
              f"{r['median_rss_mib']:6.1f} MiB{sts_text}")
    names = list(result["subjects"])
    if len(names) >= 2:
        a, b = (result["subjects"][n] for n in names[:2])
        result["ratios"] = {
            "start": round(a["median_start_s"] / b["median_start_s"], 2),
            "rss": round(a["median_rss_mib"] / b["median_rss_mib"], 2),
        }
        if a["median_sts_s"] and b["median_sts_s"]:
            result["ratios"]["sts"] = round(a["median_sts_s"] / b["median_sts_s"], 2)
        print(f"ratio {names[0]}/{names[1]}: start {result['ratios']['start']:.2f}x, "
              f"RSS {result['ratios']['rss']:.2f}x"
              + (f", first STS call {result['ratios']['sts']:.2f}x" if "sts" in result["ratios"] else "")
              + f" (below 1 means {names[0]} is ahead)")
    if args.summary:
        parts = [f"{n} {r['median_start_s']:.3f} s {r['median_rss_mib']:.1f} MiB"
                 + (f" (STS {r['median_sts_s']:.3f} s)" if r["median_sts_s"] is not None else "")
                 for n, r in result["subjects"].items()]
        if "ratios" in result:
            parts.append(f"ratio start {result['ratios']['start']:.2f}x RSS {result['ratios']['rss']:.2f}x"
                         + (f" STS {result['ratios']['sts']:.2f}x" if "sts" in result["ratios"] else ""))
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
