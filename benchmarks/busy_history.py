#!/usr/bin/env python3
"""Times `promptgate-log` on a generated busy history (80,000+ commits with merges, two
behaviors; see make_busy_repo.py) against `git log --format=%H -- <paths>`, without and with a
commit-graph, the cached second walk, and a cached walk after one new commit; prints medians,
peak memory and ratios, with the machine's load before and after.

The first walk starts from an empty history cache each run (it writes the cache, and that is
timed); the cached walk reads the cache the first walk wrote; the walk after one new commit
starts from the cache a walk of HEAD~1 wrote (restored before each run).

usage: benchmarks/busy_history.py --bin DIR [--work DIR] [--runs N] [--seed S]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True, help="directory holding the release promptgate-* executables")
parser.add_argument("--work", default=os.path.join(ROOT, "benchmarks", ".work"))
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--first-parent", type=int, default=25_000)
parser.add_argument("--seed", type=int, default=20261202)
args = parser.parse_args()

ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=args.work)
for name in ("GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE"):
    ENV.pop(name, None)
repo = os.path.join(args.work, f"busy-{args.first_parent}-{args.seed}")
store = os.path.join(args.work, f"busy-store-{args.seed}")
graph = os.path.join(repo, ".git", "objects", "info", "commit-graph")
PATHS = ["promptgate.yaml", "prompts", "config/llm.yaml", "tools/support",
         "services/planner/deploy/k8s/overlays/prod/prompts"]


def run(command, **extra):
    return subprocess.run(command, cwd=repo, env=ENV, check=True, **extra)


def make_repository():
    if os.path.exists(os.path.join(repo, ".complete")):
        return
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    run(["git", "init", "-q", "-b", "main"])
    print(f"generating the busy history (seed {args.seed})...", file=sys.stderr)
    generator = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "benchmarks", "make_busy_repo.py"),
         "--first-parent", str(args.first_parent), "--seed", str(args.seed)],
        stdout=subprocess.PIPE)
    run(["git", "fast-import", "--quiet"], stdin=generator.stdout)
    if generator.wait() != 0:
        sys.exit("the generator failed")
    # Packed as a fresh clone has it: one pack, no commit-graph (added per phase below).
    run(["git", "-c", "gc.writeCommitGraph=false", "gc", "--quiet"])
    run(["git", "checkout", "-q", "-f", "main"])
    open(os.path.join(repo, ".complete"), "w").close()


def measure(command, runs, before=None):
    """Median wall milliseconds and the largest peak RSS (MB) over `runs` runs, after one
    warm-up; `before` runs ahead of each (untimed)."""
    samples, peaks = [], []
    for number in range(runs + 1):
        if before:
            before()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=repo, env=ENV, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        stderr = process.stderr.read().decode()
        process.stderr.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
        if "warning" in stderr:
            sys.exit(f"{' '.join(command)} warned:\n{stderr}")
        if number == 0:
            continue
        samples.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(samples), max(peaks)


def clear_cache():
    shutil.rmtree(os.path.join(store, "history"), ignore_errors=True)


def restore(saved):
    def before():
        clear_cache()
        shutil.copytree(saved, os.path.join(store, "history"))
    return before


def load():
    return "load %.2f %.2f %.2f" % os.getloadavg()


make_repository()
count = int(run(["git", "rev-list", "--count", "HEAD"], capture_output=True, text=True).stdout)
first_parent = int(run(["git", "rev-list", "--count", "--first-parent", "HEAD"],
                       capture_output=True, text=True).stdout)
log = [os.path.join(args.bin, "promptgate-log"), "--store", store]
saved = os.path.join(args.work, f"busy-store-{args.seed}-parent")
rows = []
load_before = load()
for phase in ("no commit-graph", "commit-graph"):
    if phase == "no commit-graph":
        if os.path.exists(graph):
            os.remove(graph)
    else:
        run(["git", "commit-graph", "write", "--reachable"])
    for flags in ([], ["--first-parent"]):
        git = measure(["git", "log", "--format=%H"] + flags + ["--"] + PATHS, args.runs)
        first = measure(log + flags, args.runs, before=clear_cache)
        cached = measure(log + flags, args.runs)
        clear_cache()
        run(log + flags + ["HEAD~1"], stdout=subprocess.DEVNULL)
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(os.path.join(store, "history"), saved)
        advanced = measure(log + flags, args.runs, before=restore(saved))
        name = " ".join(["log"] + flags)
        rows.append((phase, name, "first walk (writes the cache)", first, git, 1.0))
        rows.append((phase, name, "cached second walk", cached, git, 0.1))
        rows.append((phase, name, "cached, after one new commit", advanced, git, None))
        rows.append((phase, name, "git log --format=%H -- <paths>", git, git, None))

print(f"\nbusy history: {count} commits ({first_parent} first-parent), seed {args.seed}; "
      f"medians of {args.runs} runs; peak RSS is the largest of the runs; "
      f"{load_before} before, {load()} after\n")
print(f"{'graph':16} {'walk':18} {'measurement':32} {'median':>9} {'peak':>8} {'ratio':>7} "
      f"{'mem':>6}  target")
for phase, name, what, (ms, peak), (git_ms, git_peak), target in rows:
    ratio, memory = ms / git_ms, peak / git_peak
    verdict = ""
    if target is not None:
        met = ratio <= target and (target < 1.0 or memory <= 1.0)
        verdict = f"time <= {target}x" + (", mem <= 1.0x" if target >= 1.0 else "")
        verdict += " met" if met else " MISSED"
    print(f"{phase:16} {name:18} {what:32} {ms:7.1f}ms {peak:6.1f}MB {ratio:6.2f}x {memory:5.2f}x  {verdict}")
