#!/usr/bin/env python3
"""Writes a git fast-import stream for the busy-history benchmark repository, from a fixed seed.

Shaped like the large public histories issue 14 measured: about 25,000 first-parent commits on
main, nearly half of them merges of topic branches, 80,000+ commits in all. The `support`
behavior watches one glob of 500 prompt files (25 directories of 20), a few of which change in
about 7% of first-parent commits; the `planner` behavior watches a glob seven directories deep.
Every other commit changes a few of 6,000 ordinary files.

usage: make_busy_repo.py [--first-parent N] [--seed S] | git fast-import --quiet
"""

import argparse
import random
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--first-parent", type=int, default=25_000)
parser.add_argument("--seed", type=int, default=20261202)
args = parser.parse_args()
rng = random.Random(args.seed)
out = sys.stdout.buffer

DEEP = "services/planner/deploy/k8s/overlays/prod/prompts"
MAPPING = f"""behaviors:
  support:
    prompt: [prompts/**/*.md]
    model: config/llm.yaml#/support/model
    toolSchema: tools/support/*.json
    decoding:
      temperature: config/llm.yaml#/support/temperature
  planner:
    prompt: [{DEEP}/**/*.txt]
    model: {{value: planner-large}}
evalSets:
  support-smoke:
    tier: fast
    cases: evals/support/smoke.jsonl
    protects: {{support: [prompt, model]}}
""".encode()
PROMPTS = [f"prompts/area{d:02}/part{f:02}.md" for d in range(25) for f in range(20)]
DEEP_FILES = [f"{DEEP}/step{d}/stage{f}.txt" for d in range(5) for f in range(8)]
TOOLS = [f"tools/support/tool{i}.json" for i in range(4)]
ORDINARY = [f"src/m{i // 100:03}/f{i % 100:02}.c" for i in range(6_000)]
MODELS = ["gpt-4o-mini", "gpt-4o", "claude-sonnet"]

# Chances that one commit changes a prompt file or a deep planner file: on main directly, and
# on a topic branch (a merge of k topic commits then changes them with 1 - (1 - p)^k).
PROMPT_MAIN, PROMPT_TOPIC = 0.07, 0.013
DEEP_MAIN, DEEP_TOPIC = 0.01, 0.002

mark = 0
counter = 0
clock = 1_600_000_000


def data(payload: bytes) -> None:
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def content(path: str) -> bytes:
    global counter
    counter += 1
    return f"{path} revision {counter}\n".encode()


def commit(ref: str, message: str, parent, merge, changes: dict) -> int:
    """Writes one commit of `changes` (path -> bytes) on `ref`; returns its mark."""
    global mark, clock
    mark += 1
    clock += rng.randint(30, 900)
    out.write(b"commit " + ref.encode() + b"\n")
    out.write(b"mark :%d\n" % mark)
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % clock)
    data(message.encode())
    if parent is not None:
        out.write(b"from :%d\n" % parent)
    if merge is not None:
        out.write(b"merge :%d\n" % merge)
    for path, payload in changes.items():
        out.write(b"M 100644 inline " + path.encode() + b"\n")
        data(payload)
    return mark


def ordinary_changes(prompt_chance: float, deep_chance: float) -> dict:
    changes = {}
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(ORDINARY)
        changes[path] = content(path)
    if rng.random() < prompt_chance:
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(PROMPTS)
            changes[path] = content(path)
    if rng.random() < deep_chance:
        path = rng.choice(DEEP_FILES)
        changes[path] = content(path)
    if rng.random() < 0.002:
        model = rng.choice(MODELS)
        temperature = rng.choice([0.0, 0.2, 0.5])
        changes["config/llm.yaml"] = (
            f"support:\n  model: {model}\n  temperature: {temperature}\nlogging: info\n".encode())
    return changes


initial = {"promptgate.yaml": MAPPING, "evals/support/smoke.jsonl": b'{"id": "a", "vars": {}}\n',
           "config/llm.yaml": b"support:\n  model: gpt-4o-mini\n  temperature: 0.2\nlogging: info\n"}
for path in PROMPTS + DEEP_FILES + ORDINARY:
    initial[path] = content(path)
for path in TOOLS:
    initial[path] = f'{{"name": "{path}", "parameters": {{"type": "object"}}}}\n'.encode()
main = [commit("refs/heads/main", "Start", None, None, initial)]
topics = 0
while len(main) < args.first_parent:
    if rng.random() < 0.45:
        # A topic branch from a recent commit of main, merged back with its changes.
        topics += 1
        ref = f"refs/heads/topic/{topics % 50}"
        tip = main[-1 - rng.randint(0, min(20, len(main) - 1))]
        merged = {}
        for number in range(rng.randint(1, 9)):
            changes = ordinary_changes(PROMPT_TOPIC, DEEP_TOPIC)
            tip = commit(ref, f"Topic {topics} commit {number}", tip, None, changes)
            merged.update(changes)
        main.append(commit("refs/heads/main", f"Merge topic {topics}", main[-1], tip, merged))
    else:
        main.append(commit("refs/heads/main", f"Commit {len(main)}", main[-1], None,
                           ordinary_changes(PROMPT_MAIN, DEEP_MAIN)))
out.write(b"reset refs/heads/main\nfrom :%d\n\n" % main[-1])
print(f"{mark} commits, {len(main)} first-parent, {topics} merges", file=sys.stderr)
