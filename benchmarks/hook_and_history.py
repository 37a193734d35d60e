#!/usr/bin/env python3
"""Times the pre-commit hook, `version` and `log` on a generated repository of 100,000 files and
20,000 commits, against git itself, and prints medians and ratios.

usage: benchmarks/hook_and_history.py [--bin DIR] [--work DIR] [--runs N]
(benchmarks/run.sh builds the release binaries and passes --bin.)
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
parser.add_argument("--runs", type=int, default=21)
parser.add_argument("--files", type=int, default=100_000)
parser.add_argument("--commits", type=int, default=20_000)
parser.add_argument("--seed", type=int, default=20261125)
args = parser.parse_args()

ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=args.work, PROMPTGATE_BIN_DIR=args.bin)
ENV.pop("GIT_INDEX_FILE", None)
ENV.pop("GIT_DIR", None)
repo = os.path.join(args.work, f"repo-{args.files}-{args.commits}-{args.seed}")


def run(command, **extra):
    return subprocess.run(command, cwd=repo, env=ENV, check=True, **extra)


def make_repository():
    if os.path.exists(os.path.join(repo, ".complete")):
        return
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    run(["git", "init", "-q", "-b", "main"])
    print(f"generating {args.files} files and {args.commits} commits (seed {args.seed})...", file=sys.stderr)
    generator = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "benchmarks", "make_repo.py"),
         "--files", str(args.files), "--commits", str(args.commits), "--seed", str(args.seed)],
        stdout=subprocess.PIPE)
    run(["git", "fast-import", "--quiet"], stdin=generator.stdout)
    if generator.wait() != 0:
        sys.exit("the generator failed")
    # As `git gc` leaves it: packed, with a commit-graph and no changed-path Bloom filters.
    run(["git", "gc", "--quiet"])
    run(["git", "checkout", "-q", "-f", "main"])
    open(os.path.join(repo, ".complete"), "w").close()


def median_ms(command, runs, **extra):
    for _ in range(2):
        run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **extra)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **extra)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def stage(path, text):
    with open(os.path.join(repo, path), "a") as handle:
        handle.write(text)
    run(["git", "add", path])


def reset():
    run(["git", "reset", "-q", "--hard", "HEAD"])


def tool(name):
    return os.path.join(args.bin, name)


make_repository()
hook = os.path.join(ROOT, "hooks", "pre-commit")
paths = ["promptgate.yaml", "prompts/support", "config/llm.yaml", "tools/support",
         "config/retrieval.yaml", "policies/safety.md"]
rows = []

reset()
stage("src/m0000/f00.txt", "edit\n")
git_diff = median_ms(["git", "diff", "--cached", "--name-only"], args.runs)
rows.append(("pre-commit hook, no component staged", median_ms([hook], args.runs),
             "git diff --cached --name-only", git_diff, 1.5))
reset()
stage("prompts/support/part00.md", "edit\n")
rows.append(("pre-commit hook, prompt staged", median_ms([hook], args.runs),
             "git diff --cached --name-only", median_ms(["git", "diff", "--cached", "--name-only"], args.runs), None))
reset()
rows.append(("promptgate-version --rev HEAD", median_ms([tool("promptgate-version"), "--rev", "HEAD"], args.runs),
             None, None, None))
history_runs = max(3, args.runs // 4)
rows.append(("promptgate-log (whole history)", median_ms([tool("promptgate-log")], history_runs),
             "git log --format=%H -- <component paths>",
             median_ms(["git", "log", "--format=%H", "--"] + paths, history_runs), 1.0))

print(f"\n{args.files} files, {args.commits} commits, seed {args.seed}; medians of {args.runs} runs "
      f"({history_runs} for history)\n")
print(f"{'measurement':40} {'median':>10} {'reference':42} {'median':>10} {'ratio':>7}  target")
for name, value, reference, reference_value, target in rows:
    if reference is None:
        print(f"{name:40} {value:8.1f}ms")
        continue
    ratio = value / reference_value
    verdict = "" if target is None else (f"<= {target}x " + ("met" if ratio <= target else "MISSED"))
    print(f"{name:40} {value:8.1f}ms {reference:42} {reference_value:8.1f}ms {ratio:6.2f}x  {verdict}")
