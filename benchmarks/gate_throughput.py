#!/usr/bin/env python3
"""Times `promptgate-gate` on 1,000 cases at concurrency 32 against a loopback
OpenAI-compatible server with a fixed 200 ms latency, against the ideal
ceil(1000/32) x 200 ms, with its peak memory; then times Inspect AI on the same cases against the
same server (--max-connections 32) and prints the ratio, for information.

usage: benchmarks/gate_throughput.py --bin DIR [--runs N] [--cases N] [--concurrency N]
       [--latency-ms N] [--skip-inspect]
(benchmarks/run-gate.sh builds the release binaries and passes --bin.)
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True, type=os.path.abspath)
parser.add_argument("--work", default=os.path.join(ROOT, "benchmarks", ".work", "gate"))
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--cases", type=int, default=1000)
parser.add_argument("--concurrency", type=int, default=32)
parser.add_argument("--latency-ms", type=float, default=200)
parser.add_argument("--skip-inspect", action="store_true")
args = parser.parse_args()

GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=args.work,
               GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"):
    GIT_ENV.pop(name, None)
repo = os.path.join(args.work, "repo")


def git(*command):
    subprocess.run(["git", *command], cwd=repo, env=GIT_ENV, check=True, stdout=subprocess.DEVNULL)


def write(path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as handle:
        handle.write(text)


def questions():
    return [f"What is the status of order {1000 + n}?" for n in range(args.cases)]


def make_repository(port):
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    git("init", "-q", "-b", "main")
    write("promptgate.yaml", "behaviors: {}\n")
    git("add", "-A")
    git("commit", "-q", "-m", "empty mapping")
    # The head adds the behavior, so the gate runs every case once, at the head only.
    write("prompts/system.md", "You are a benchmark assistant.\n")
    write("evals/cases.jsonl", "".join(
        json.dumps({"id": f"case-{n}", "vars": {"question": q},
                    "assert": [{"type": "icontains", "value": "answer"}]}) + "\n"
        for n, q in enumerate(questions())))
    write("promptgate.yaml", f"""
providers:
  loopback: {{type: openai, baseURL: "http://127.0.0.1:{port}/v1", concurrency: {args.concurrency}, timeout: 30, retries: 0}}
behaviors:
  bench:
    prompt: [prompts/**]
    model: {{value: bench-model}}
evalSets:
  bench-set:
    tier: fast
    provider: loopback
    cases: evals/cases.jsonl
    messages: {{system: prompts/system.md, user: "{{{{question}}}}"}}
    protects: {{bench: all}}
""")
    git("add", "-A")


def timed(command, env=None, cwd=None):
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd or repo, env=env or GIT_ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{command[0]} exited {code}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024  # seconds, MiB


def server_stats(port, reset=False):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{'reset' if reset else 'stats'}") as answer:
        return json.load(answer)


def run_inspect(port):
    venv = os.path.join(args.work, "venv")
    inspect = os.path.join(venv, "bin", "inspect")
    if not os.path.exists(inspect):
        print("installing Inspect AI from PyPI into benchmarks/.work/gate/venv ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "inspect-ai", "openai"],
                       check=True)
    task_dir = os.path.join(args.work, "inspect")
    os.makedirs(task_dir, exist_ok=True)
    with open(os.path.join(task_dir, "cases.jsonl"), "w") as handle:
        for n, question in enumerate(questions()):
            handle.write(json.dumps({"id": f"case-{n}", "input": question, "target": "answer"}) + "\n")
    with open(os.path.join(task_dir, "bench.py"), "w") as handle:
        handle.write(
            "from inspect_ai import Task, task\n"
            "from inspect_ai.dataset import json_dataset\n"
            "from inspect_ai.scorer import includes\n"
            "from inspect_ai.solver import generate\n\n\n"
            "@task\n"
            "def bench():\n"
            "    return Task(dataset=json_dataset('cases.jsonl'), solver=[generate()], scorer=includes())\n")
    env = dict(os.environ, OPENAI_API_KEY="benchmark-key", INSPECT_LOG_DIR=os.path.join(task_dir, "logs"))
    command = [inspect, "eval", "bench.py", "--model", "openai/bench-model",
               "--model-base-url", f"http://127.0.0.1:{port}/v1",
               "--max-connections", str(args.concurrency), "--display", "none",
               # Inspect's OpenAI provider speaks the Responses API by default; the server (like
               # vLLM, Ollama and most gateways) speaks chat completions.
               "-M", "responses_api=false"]
    return [timed(command, env=env, cwd=task_dir)[0] for _ in range(max(1, args.runs))]


server = subprocess.Popen([sys.executable, os.path.join(ROOT, "benchmarks", "llm_server.py"),
                           "--latency-ms", str(args.latency_ms)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
port = int(server.stdout.readline())
try:
    make_repository(port)
    gate = [os.path.join(args.bin, "promptgate-gate"), "--staged", "--refresh",
            "--store", os.path.join(args.work, "store")]
    timed(gate)  # warm-up: fills the store, warms the file cache
    server_stats(port, reset=True)
    samples = [timed(gate) for _ in range(args.runs)]
    ours = server_stats(port)
    wall = statistics.median(s[0] for s in samples)
    peak = max(s[1] for s in samples)
    ideal = math.ceil(args.cases / args.concurrency) * args.latency_ms / 1000
    print(f"\n{args.cases} cases, concurrency {args.concurrency}, server latency "
          f"{args.latency_ms:g} ms; medians of {args.runs} runs\n")
    print(f"{'measurement':44} {'value':>10}  target")
    verdict = "met" if wall / ideal <= 1.15 else "MISSED"
    print(f"{'promptgate-gate wall time':44} {wall:9.2f}s")
    print(f"{'ideal ceil(n/c) x latency':44} {ideal:9.2f}s")
    print(f"{'ratio to ideal':44} {wall / ideal:9.2f}x  <= 1.15x {verdict}")
    print(f"{'peak memory (max RSS)':44} {peak:8.1f}MiB  < 100 MiB "
          + ("met" if peak < 100 else "MISSED"))
    print(f"{'requests per run; peak in flight':44} {ours['requests'] // args.runs:>6} ; {ours['peak']}")
    if not args.skip_inspect:
        server_stats(port, reset=True)
        inspect_samples = run_inspect(port)
        theirs = server_stats(port)
        inspect_wall = statistics.median(inspect_samples)
        print(f"{'Inspect AI wall time (same cases, server)':44} {inspect_wall:9.2f}s")
        per_run = theirs['requests'] // len(inspect_samples)
        print(f"{'Inspect AI requests per run; peak in flight':44} {per_run:>6} ; {theirs['peak']}"
              + ("" if per_run >= args.cases else "  (INCOMPLETE: Inspect did not run every case)"))
        print(f"{'promptgate / Inspect AI':44} {wall / inspect_wall:9.2f}x  (information)")
finally:
    server.stdin.close()
    server.wait(timeout=10)
