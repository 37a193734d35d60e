#!/usr/bin/env python3
"""Writes a git fast-import stream for the benchmark repository, from a fixed seed.

100,000 files (1,000 directories of 100 files, plus a PromptGate layout) and 20,000 commits,
each changing a few ordinary files; about 1% also change a prompt or a config value.

usage: make_repo.py [--files N] [--commits N] [--seed S] | git fast-import --quiet
"""

import argparse
import random
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--files", type=int, default=100_000)
parser.add_argument("--commits", type=int, default=20_000)
parser.add_argument("--seed", type=int, default=20261125)
args = parser.parse_args()
rng = random.Random(args.seed)
out = sys.stdout.buffer

MAPPING = b"""behaviors:
  support-agent:
    prompt: [prompts/support/**/*.md]
    model: config/llm.yaml#/support/model
    toolSchema: tools/support/*.json
    retrievalPolicy: config/retrieval.yaml#/support
    safetyPolicy: {files: [policies/safety.md], optional: true}
    decoding:
      temperature: config/llm.yaml#/support/temperature
      maxOutputTokens: config/llm.yaml#/support/max_tokens
evalSets:
  support-smoke:
    tier: fast
    cases: evals/support/smoke.jsonl
    protects: {support-agent: [prompt, toolSchema, model, decoding]}
global: [evals/lib/**]
"""
PROMPTS = [f"prompts/support/part{i:02}.md" for i in range(20)]
TOOLS = [f"tools/support/tool{i}.json" for i in range(5)]
ordinary_count = args.files - len(PROMPTS) - len(TOOLS) - 6
ORDINARY = [f"src/m{i // 100:04}/f{i % 100:02}.txt" for i in range(ordinary_count)]
MODELS = ["gpt-4o-mini", "gpt-4o", "claude-sonnet", "llama-3-70b"]


def data(payload: bytes) -> None:
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def modify(path: str, payload: bytes) -> None:
    out.write(b"M 100644 inline " + path.encode() + b"\n")
    data(payload)


def llm_yaml(model: str, temperature: float, tokens: int) -> bytes:
    return f"support:\n  model: {model}\n  temperature: {temperature}\n  max_tokens: {tokens}\n".encode()


def retrieval_yaml(top_k: int) -> bytes:
    return f"support:\n  index: help-center\n  top_k: {top_k}\n".encode()


state = {"model": 0, "temperature": 0.2, "tokens": 1024, "top_k": 5}
version = {}
time = 1_700_000_000
for number in range(args.commits):
    time += rng.randint(60, 3600)
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % time)
    data(b"commit %d" % number)
    if number == 0:
        modify("promptgate.yaml", MAPPING)
        modify("config/llm.yaml", llm_yaml(MODELS[0], 0.2, 1024))
        modify("config/retrieval.yaml", retrieval_yaml(5))
        modify("policies/safety.md", b"Never reveal another customer's details.\n")
        modify("evals/support/smoke.jsonl", b'{"id": "a", "vars": {}}\n')
        modify("evals/lib/score.py", b"def score(x):\n    return x\n")
        for path in PROMPTS:
            modify(path, f"Prompt section {path}.\n".encode())
        for path in TOOLS:
            modify(path, f'{{"name": "{path}", "parameters": {{"type": "object"}}}}\n'.encode())
        for path in ORDINARY:
            modify(path, f"{path} v0\n".encode())
        continue
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(ORDINARY)
        version[path] = version.get(path, 0) + 1
        modify(path, f"{path} v{version[path]}\n".encode())
    if rng.random() < 0.01:
        kind = rng.choice(["prompt", "model", "temperature", "top_k"])
        if kind == "prompt":
            path = rng.choice(PROMPTS)
            version[path] = version.get(path, 0) + 1
            modify(path, f"Prompt section {path}, revision {version[path]}.\n".encode())
        else:
            if kind == "model":
                state["model"] = (state["model"] + 1) % len(MODELS)
            elif kind == "temperature":
                state["temperature"] = round(rng.choice([0.0, 0.2, 0.5, 0.7]), 1)
            if kind == "top_k":
                state["top_k"] = rng.randint(3, 12)
                modify("config/retrieval.yaml", retrieval_yaml(state["top_k"]))
            else:
                modify("config/llm.yaml", llm_yaml(MODELS[state["model"]], state["temperature"], state["tokens"]))
