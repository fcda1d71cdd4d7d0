"""Memory and CPU of the paperbot processes another bench starts, for containers' requests/limits.

Runs a command (a bench such as bench/slack_ack.py) and samples every descendant process whose
command line contains ``--match`` (default ``bot run``) twice a second: its peak resident set
(the kernel's VmHWM, so no peak between samples is missed), its CPU seconds, and the most CPU it
used over any one-second window. A plain anchor (a fixed pure-Python loop) runs before and after
the command: the share of a core it got says how much the machine's load held the processes back.

    .venv/bin/python bench/resources.py -- .venv/bin/python bench/slack_ack.py --bursts 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import psutil

SAMPLE_EVERY = 0.5


@dataclass
class Usage:
    command: str
    first_seen: float
    last_seen: float = 0.0
    cpu: float = 0.0  # CPU seconds (user + system) at the last sample
    peak_rss: int = 0  # bytes, VmHWM
    rss: int = 0  # bytes, at the last sample
    peak_cores: float = 0.0  # most CPU per second over any window of about 1 s
    history: list[tuple[float, float]] = field(default_factory=list)

    def sample(self, now: float, cpu: float, rss: int, peak_rss: int) -> None:
        self.last_seen, self.cpu, self.rss = now, cpu, rss
        self.peak_rss = max(self.peak_rss, peak_rss)
        self.history.append((now, cpu))
        while len(self.history) > 1 and now - self.history[1][0] >= 1.0:
            self.history.pop(0)
        start, start_cpu = self.history[0]
        if now - start >= 0.9:
            self.peak_cores = max(self.peak_cores, (cpu - start_cpu) / (now - start))


def peak_rss(process: psutil.Process) -> int:
    """VmHWM: the most resident memory the process ever had, in bytes."""
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def watch(root: psutil.Process, match: str, seen: dict[int, Usage], done: threading.Event) -> None:
    while not done.is_set():
        try:
            children = root.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        now = time.monotonic()
        for child in children:
            try:
                command = " ".join(child.cmdline())
                if match not in command:
                    continue
                times, rss = child.cpu_times(), child.memory_info().rss
                usage = seen.setdefault(child.pid, Usage(command, now))
                usage.sample(now, times.user + times.system, rss, peak_rss(child))
            except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError):
                continue
        done.wait(SAMPLE_EVERY)


def anchor() -> float:
    """The share of one core a plain loop gets now (CPU seconds over wall seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", default="bot run", help="part of the command lines to watch")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the bench to run, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    before = anchor()
    seen: dict[int, Usage] = {}
    done = threading.Event()
    child = subprocess.Popen(command)
    root = psutil.Process(child.pid)
    watcher = threading.Thread(target=watch, args=(root, args.match, seen, done))
    watcher.start()
    code = child.wait()
    done.set()
    watcher.join()
    after = anchor()
    print(f"\nprocesses matching {args.match!r} (sampled every {SAMPLE_EVERY} s):")
    for pid, usage in seen.items():
        alive = max(usage.last_seen - usage.first_seen, SAMPLE_EVERY)
        print(
            f"  pid {pid}: peak RSS {usage.peak_rss / 2**20:.0f} MB "
            f"(last {usage.rss / 2**20:.0f} MB); CPU {usage.cpu:.1f} s over {alive:.0f} s "
            f"(mean {usage.cpu / alive:.2f} cores, peak {usage.peak_cores:.2f} cores over 1 s)"
        )
    load = os.getloadavg()
    print(
        f"anchor (a plain loop's share of a core): {before:.2f} before, {after:.2f} after; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )
    sys.exit(code)


if __name__ == "__main__":
    main()
