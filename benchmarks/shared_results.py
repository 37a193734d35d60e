#!/usr/bin/env python3
"""Times `promptgate store push` and `promptgate store fetch` against a bare remote on local
disk: 100,000 stored results pushed and fetched cold by a fresh clone; then a change of 50 cases
gated by the first clone (100 new results, both sides) and pushed, and the fresh clone's warm
fetch followed by its gate of the same change, which must make no provider call. Prints medians
(of --runs) and the ref's size.

Target (issue "results travel with the repository"): the warm fetch and the gate together under
1 s.

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
parser.add_argument("--cases", type=int, default=50, help="cases of the gated change, per side")
args = parser.parse_args()
store_bin = os.path.join(os.path.abspath(args.bin), "promptgate-store")
gate_bin = os.path.join(os.path.abspath(args.bin), "promptgate-gate")
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


HARNESS = """import os, sys
sys.stdin.read()
with open(os.path.join(os.environ["PROMPTGATE_BEHAVIOR_DIR"], "prompts/system.md")) as handle:
    print(handle.read().strip())
"""
MAPPING = """behaviors:
  bot:
    prompt: [prompts/*.md]
    model: {value: bench-model}
providers:
  harness: {type: exec, command: [python3, evals/harness.py], concurrency: 8, timeout: 30}
evalSets:
  smoke:
    tier: fast
    provider: harness
    files: [evals/harness.py]
    cases: evals/smoke.jsonl
    protects: {bot: [prompt, model]}
"""


def write(repo, path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as handle:
        handle.write(text)


def commit(repo, prompt, message):
    write(repo, "prompts/system.md", prompt)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-q", "-m", message], repo)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, env=ENV, check=True,
                          capture_output=True, text=True).stdout.strip()


bare = os.path.join(work, "remote.git")
first = os.path.join(work, "first")
run(["git", "init", "-q", "--bare", "-b", "main", bare], work)
run(["git", "init", "-q", "-b", "main", first], work)
write(first, "promptgate.yaml", MAPPING)
write(first, "evals/harness.py", HARNESS)
write(first, "evals/smoke.jsonl", "".join(
    json.dumps({"id": "c%d" % n, "vars": {"n": n}, "assert": [{"type": "icontains", "value": "ok"}]}) + "\n"
    for n in range(args.cases)))
commit(first, "ok start\n", "start")
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
    # A change whose two sides' results are new: gated (the harness called) and pushed by the
    # first clone, then fetched and gated by the second with no call.
    base = commit(first, "ok base %d\n" % run_index, "base %d" % run_index)
    head = commit(first, "ok head %d\n" % run_index, "head %d" % run_index)
    run([gate_bin, "%s..%s" % (base, head)], first)
    run(["git", "push", "-q", "origin", "main"], first)
    pushes.append(timed([store_bin, "push"], first))
    run(["git", "fetch", "-q", "origin"], clone)
    start = time.perf_counter()
    run([store_bin, "fetch"], clone)
    gated = subprocess.run([gate_bin, "%s..%s" % (base, head), "--format", "json"], cwd=clone,
                           env=ENV, check=True, capture_output=True, text=True)
    warm.append(time.perf_counter() - start)
    calls = json.loads(gated.stdout)["calls"]
    if calls != 0:
        raise SystemExit(f"the second clone's gate made {calls} calls; the fetched results should serve all")
    shutil.rmtree(clone, ignore_errors=True)  # a detached `git gc --auto` may still run

print(f"{args.entries} results: first push {cold_push:.2f} s; remote objects {int(size) / 1024:.1f} MB "
      f"({int(size) / args.entries * 1000 / 1024:.2f} MB per 1,000 results)")
print(f"cold fetch (fresh clone)                  median {statistics.median(cold):.2f} s")
print(f"push of {2 * args.cases} new                           median {statistics.median(pushes):.2f} s")
print(f"warm fetch of {2 * args.cases} new, then the gate      median {statistics.median(warm):.2f} s  "
      f"target < 1 s: {'met' if statistics.median(warm) < 1 else 'MISSED'} (0 provider calls)")
print(f"medians of {args.runs} runs; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
shutil.rmtree(work, ignore_errors=True)
