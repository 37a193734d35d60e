#!/usr/bin/env python3
"""The example's eval harness, run by PromptGate's `exec` provider.

A real harness renders the prompt with the team's own code and calls the model. This one must
run on a machine with no network, so it stands in for the model with a few deterministic rules
that read the behaviour's files: what it answers depends on the prompt, the safety policy and
the tools, as a model's answer would.

Protocol: the case arrives as JSON on stdin ({"id": ..., "vars": {...}}); the behaviour's files
are under $PROMPTGATE_BEHAVIOR_DIR at their repository paths; the answer goes to stdout as JSON
with `output`, `toolCalls` and `usage`. A non-zero exit means "could not evaluate".
"""

import glob
import json
import os
import re
import sys

case = json.load(sys.stdin)
behavior_dir = os.environ["PROMPTGATE_BEHAVIOR_DIR"]
behavior = os.environ.get("PROMPTGATE_BEHAVIOR", "support-agent")


def read(path):
    try:
        with open(os.path.join(behavior_dir, path), encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def answer_support(question):
    prompt = read("prompts/support/system.md")
    safety = read("policies/safety.md")
    tools = [json.load(open(path))["name"]
             for path in glob.glob(os.path.join(behavior_dir, "tools/support/*.json"))]
    calls = []
    if "card" in question.lower():
        if "refuse requests for payment card" in safety.lower():
            return "I'm sorry, but I can't share payment card details.", calls, prompt
        return "The card on file ends in 4242.", calls, prompt
    order = re.search(r"\b(\d{4})\b", question)
    if order and "search_orders" in prompt and "search_orders" in tools:
        calls.append({"name": "search_orders", "arguments": {"query": order.group(1)}})
        return f"Order {order.group(1)} is in transit and arrives on Friday.", calls, prompt
    if "refund" in question.lower():
        if "offer a refund" in prompt.lower():
            return "Sorry the boots arrived torn: the order is eligible, so I have started a refund.", calls, prompt
        return "Sorry the boots arrived torn. I can offer you store credit.", calls, prompt
    return "How can I help with your order?", calls, prompt


def answer_summarizer(conversation):
    prompt = read("prompts/summarizer/system.md")
    points = [part.strip() for part in re.split(r"[;.]", conversation) if part.strip()]
    count = 3 if "three bullet" in prompt else len(points)
    lines = [f"- {point}" for point in (points + ["no further action"] * 3)[:count]]
    return "\n".join(lines), [], prompt


variables = case.get("vars", {})
if behavior == "summarizer":
    output, tool_calls, prompt = answer_summarizer(variables.get("conversation", ""))
else:
    output, tool_calls, prompt = answer_support(variables.get("question", ""))
print(json.dumps({
    "output": output,
    "toolCalls": tool_calls,
    "usage": {"inputTokens": len(prompt.split()) + len(json.dumps(variables).split()),
              "outputTokens": len(output.split())},
}))
