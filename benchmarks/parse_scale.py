#!/usr/bin/env python3
"""Times `promptgate-check-config` on mapping and case files far larger than real ones, against
libyaml (PyYAML's CSafeLoader, the C parser most YAML tools use) loading the same file, and prints
medians, ratios and the size of what the diagnostics printed.

Inputs: 100,000 behaviors; 100,000 unknown keys; an eval set whose cases file has 200,000 lines.
Target: each in under a second, parsing linear in the input, at most 20 problems (and a count)
reported, no value quoted past 200 characters.

usage: benchmarks/parse_scale.py --bin DIR [--runs N]
(DIR holds the release executables: swift build -c release --static-swift-stdlib)
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True, help="directory holding the release promptgate-* executables")
parser.add_argument("--runs", type=int, default=7)
args = parser.parse_args()

work = tempfile.mkdtemp(prefix="promptgate-parse-scale-")
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=work)


def git(*arguments):
    subprocess.run(["git", *arguments], cwd=work, env=ENV, check=True, stdout=subprocess.DEVNULL)


git("init", "-q", "-b", "main")
os.makedirs(os.path.join(work, "prompts"))
os.makedirs(os.path.join(work, "evals"))
with open(os.path.join(work, "prompts", "a.md"), "w") as handle:
    handle.write("You are helpful.\n")


def write(name, text):
    path = os.path.join(work, name)
    with open(path, "w") as handle:
        handle.write(text)
    return path


behaviors = write(
    "behaviors.yaml",
    "behaviors:\n"
    + "".join(f"  b{i}:\n    prompt: [prompts/a.md]\n    model: {{value: m{i % 7}}}\n" for i in range(100_000)),
)
unknown = write(
    "unknown.yaml",
    "behaviors:\n  bot:\n    prompt: [prompts/a.md]\n"
    + "".join(f"k{i}: {'x' * 300}\n" for i in range(100_000)),
)
cases_lines = "".join(
    f'{{"id": "c{i}", "vars": {{"topic": "t{i % 13}"}}, "assert": [{{"type": "icontains", "value": "v{i % 5}"}}]}}\n'
    for i in range(200_000))
write("evals/big.jsonl", cases_lines)
cases = write(
    "cases.yaml",
    "behaviors:\n  bot:\n    prompt: [prompts/a.md]\n    model: {value: m}\n"
    "evalSets:\n  big:\n    tier: fast\n    cases: evals/big.jsonl\n    protects: {bot: [prompt]}\n",
)
git("add", "-A")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


cpu = {}


def median_seconds(command, expect):
    samples, output, cpus = [], b"", []
    for index in range(args.runs + 1):
        start, start_cpu = time.perf_counter(), children_cpu()
        result = subprocess.run(command, cwd=work, env=ENV, capture_output=True)
        elapsed = time.perf_counter() - start
        if index > 0:
            cpus.append(children_cpu() - start_cpu)
        if result.returncode not in expect:
            sys.exit(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:].decode(errors='replace')}")
        output = result.stdout + result.stderr
        if index > 0:
            samples.append(elapsed)
    cpu[command[0]] = statistics.median(cpus)
    return statistics.median(samples), output


def libyaml(path):
    return [sys.executable, "-c", "import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)", path]


check = os.path.join(os.path.abspath(args.bin), "promptgate-check-config")
print(f"{'input':<26} {'check-config':>13} {'its CPU':>9} {'reference':>11} {'ratio':>6} {'output':>9}  target < 1 s")
for label, mapping, reference, expect in [
    ("100,000 behaviors", behaviors, behaviors, {0}),
    ("100,000 unknown keys", unknown, unknown, {2}),
    ("200,000-line cases file", cases, os.path.join(work, "evals/big.jsonl"), {0}),
]:
    ours, output = median_seconds([check, "--config", mapping], expect)
    ours_cpu = cpu[check]
    if reference.endswith(".jsonl"):
        theirs, _ = median_seconds(
            [sys.executable, "-c", "import json, sys; [json.loads(l) for l in open(sys.argv[1])]", reference], {0})
        name = "json"
    else:
        theirs, _ = median_seconds(libyaml(reference), {0})
        name = "libyaml"
    verdict = "met" if ours < 1 else "MISSED"
    print(f"{label:<26} {ours * 1000:>10.0f} ms {ours_cpu * 1000:>6.0f} ms {theirs * 1000:>8.0f} ms {ours / theirs:>5.2f}x {len(output):>7} B  {verdict} ({name} reference)")
print(f"medians of {args.runs} runs (wall; 'its CPU' is user + system time, which load on the machine")
print("inflates less); the reference loads the same file with libyaml, or, for the cases file, with")
print(f"Python's json module line by line; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
