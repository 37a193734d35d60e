"""The example support bot in production, as far as telemetry goes: answers a day of requests
and logs one native JSONL event per request (docs/telemetry.md, "Native events") with the
standard library alone. The model is simulated with a fixed seed, so every run writes the same
lines.

    python3 app.py OUTPUT BEHAVIOR_ID MODEL START_MS COUNT SEED

It lives outside examples/support-bot so that the example repository's history stays as the
docs show it.
"""
import json
import random
import sys

# What the simulated models cost and how they behave; gpt-4o is slower and dearer.
MODELS = {
    "gpt-4o-mini": {"input": 0.15, "output": 0.60, "latency": 600, "refusal": 0.04},
    "gpt-4o": {"input": 2.50, "output": 10.00, "latency": 900, "refusal": 0.02},
}
ROUTES = ["orders", "refunds", "account"]


def request(rng, behavior_id, model, ts):
    profile = MODELS[model]
    input_tokens = rng.randint(900, 1500)
    output_tokens = rng.randint(40, 220)
    lookup_failed = rng.random() < 0.08
    fallback = lookup_failed and rng.random() < 0.5
    return {
        "ts": ts,
        "behaviorId": behavior_id,
        "model": model,
        "latencyMs": round(rng.lognormvariate(0, 0.4) * profile["latency"], 1),
        "inputTokens": input_tokens,
        "outputTokens": output_tokens,
        "costUsd": round((input_tokens * profile["input"] + output_tokens * profile["output"]) / 1e6, 8),
        "tools": [{"name": "lookup_order", "error": "TimeoutError" if lookup_failed else False}],
        "retrievalCalls": rng.choice([1, 1, 2]),
        "refusal": rng.random() < profile["refusal"],
        "fallback": fallback,
        "userRetry": rng.random() < 0.05,
        "route": rng.choice(ROUTES),
        "tenant": rng.choice(["acme", "globex"]),
    }


def main(output, behavior_id, model, start_ms, count, seed):
    rng = random.Random(int(seed))
    with open(output, "a", encoding="utf-8") as log:
        for index in range(int(count)):
            event = request(rng, behavior_id, model, int(start_ms) + index * 60_000)
            log.write(json.dumps(event, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
