#!/usr/bin/env python3
"""Times `promptgate store push` and `promptgate store fetch` against a bare remote on local
disk: 100,000 stored results pushed, fetched cold by a fresh clone, then 100 new ones pushed and
fetched warm. Prints medians (of --runs) and the ref's size.

Target (issue "results travel with the repository"): a warm fetch of 100 new entries under 1 s.

usage: benchmarks/shared_results.py --bin DIR [--runs N] [--entries N]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--entries", type=int, default=100_000)
args = parser.parse_args()
store_bin = os.path.join(os.path.abspath(args.bin), "promptgate-store")
work = tempfile.mkdtemp(prefix="promptgate-shared-")
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=work, GIT_AUTHOR_NAME="Bench",
           GIT_AUTHOR_EMAIL="bench@localhost", GIT_COMMITTER_NAME="Bench",
           GIT_COMMITTER_EMAIL="bench@localhost")


def run(command, cwd):
    subprocess.run(command, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL)


def timed(command, cwd):
    start = time.perf_counter()
    run(command, cwd)
    return time.perf_counter() - start


def write_results(store, start, count):
    for index in range(start, start + count):
        key = "%064x" % (index * 2654435761 % (1 << 64) * 1000003 + index)
        folder = os.path.join(store, "results", key[:2])
        os.makedirs(folder, exist_ok=True)
        entry = {"key": key, "behaviorId": "pgv1-%012x" % (index % 500), "behavior": "bot",
                 "evalSet": "smoke", "caseId": "c%d" % index, "repeatIndex": 0,
                 "output": {"output": "answer %d" % index, "latencyMs": 120,
                            "usage": {"inputTokens": 300, "outputTokens": 40}}}
        with open(os.path.join(folder, key + ".json"), "w") as handle:
            json.dump(entry, handle, sort_keys=True)


bare = os.path.join(work, "remote.git")
first = os.path.join(work, "first")
run(["git", "init", "-q", "--bare", bare], work)
run(["git", "init", "-q", "-b", "main", first], work)
with open(os.path.join(first, "README.md"), "w") as handle:
    handle.write("bench\n")
run(["git", "add", "-A"], first)
run(["git", "commit", "-q", "-m", "start"], first)
run(["git", "remote", "add", "origin", bare], first)
run(["git", "push", "-q", "origin", "main"], first)
store = os.path.join(first, ".git", "promptgate", "store")
write_results(store, 0, args.entries)
cold_push = timed([store_bin, "push"], first)
size = subprocess.run(["du", "-sk", os.path.join(bare, "objects")], capture_output=True, text=True).stdout.split()[0]

cold, warm, pushes = [], [], []
for run_index in range(args.runs):
    clone = os.path.join(work, "clone-%d" % run_index)
    run(["git", "clone", "-q", bare, clone], work)
    cold.append(timed([store_bin, "fetch"], clone))
    write_results(store, args.entries + run_index * 100, 100)
    pushes.append(timed([store_bin, "push"], first))
    warm.append(timed([store_bin, "fetch"], clone))
    shutil.rmtree(clone)

print(f"{args.entries} results: first push {cold_push:.2f} s; remote objects {int(size) / 1024:.1f} MB "
      f"({int(size) / args.entries * 1000 / 1024:.2f} MB per 1,000 results)")
print(f"cold fetch (fresh clone)        median {statistics.median(cold):.2f} s")
print(f"push of 100 new                 median {statistics.median(pushes):.2f} s")
print(f"warm fetch of 100 new           median {statistics.median(warm):.2f} s  target < 1 s: "
      f"{'met' if statistics.median(warm) < 1 else 'MISSED'}")
print(f"medians of {args.runs} runs")
shutil.rmtree(work)
