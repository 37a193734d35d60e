"""promptgate report against DuckDB on the same telemetry: generates 1,000,000 native events
(about 380 MB) and 1,000,000 OTLP spans (250,000 requests of 4 spans, in the Collector file
exporter's batches; report_otlp.py) from fixed seeds, then times whole processes, a few runs
each, and prints medians, ratios and peak memory for each. Not part of CI: it takes minutes.

    python3 benchmarks/report_vs_duckdb.py --bin .build/release --python VENV/bin/python
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from report_otlp import DUCKDB_QUERY as DUCKDB_OTLP_QUERY
from report_otlp import SPANS_PER_REQUEST, generate_otlp

HERE = os.path.dirname(os.path.abspath(__file__))


def generate_native(path, count, seed=1):
    rng = random.Random(seed)
    ids = ["pgv1-" + format(rng.getrandbits(256), "064x") for _ in range(4)]
    base = 1767225600000
    with open(path, "w") as out:
        for index in range(count):
            failed = rng.random() < 0.07
            event = {
                "ts": base + index * 50,
                "behaviorId": ids[index % 4],
                "traceId": format(rng.getrandbits(64), "016x"),
                "model": "gpt-4o-mini" if index % 3 else "gpt-4o",
                "latencyMs": round(rng.lognormvariate(6.3, 0.5), 1),
                "inputTokens": rng.randint(500, 3000),
                "outputTokens": rng.randint(20, 600),
                "costUsd": round(rng.random() / 500, 6),
                "tools": [{"name": "lookup_order", "error": failed}],
                "retrievalCalls": rng.randint(0, 3),
                "refusal": rng.random() < 0.03,
                "fallback": rng.random() < 0.02,
                "userRetry": rng.random() < 0.05,
                "route": rng.choice(["orders", "refunds", "account"]),
                "tenant": rng.choice(["acme", "globex", "initech"]),
            }
            out.write(json.dumps(event, separators=(",", ":")) + "\n")


DUCKDB_QUERY = """
SELECT behaviorId, count(*) AS requests,
  quantile_cont(latencyMs, [0.5, 0.95, 0.99]) AS latency,
  avg(inputTokens), avg(outputTokens), avg(costUsd), sum(costUsd),
  sum(len(list_filter(tools, lambda t: t.error))) AS toolFailures, sum(len(tools)) AS toolCalls,
  avg(refusal::INT), avg(fallback::INT), avg(userRetry::INT), avg(retrievalCalls)
FROM read_json('{path}', format = 'newline_delimited')
GROUP BY behaviorId ORDER BY behaviorId
"""


def timed(command, cwd=None):
    """Wall seconds and peak resident memory (MiB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output = process.stdout.read()
    process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{command[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--python", required=True, help="a Python with duckdb installed")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(HERE, ".work", "telemetry"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    native = os.path.join(args.work, f"native-{args.events}.jsonl")
    if not os.path.exists(native):
        print(f"generating {args.events:,} native events ...", file=sys.stderr)
        generate_native(native + ".tmp", args.events)
        os.rename(native + ".tmp", native)
    otlp = os.path.join(args.work, f"otlp-{args.spans}.jsonl")
    if not os.path.exists(otlp):
        print(f"generating {args.spans:,} OTLP spans ...", file=sys.stderr)
        generate_otlp(otlp + ".tmp", args.spans)
        os.rename(otlp + ".tmp", otlp)

    repo = tempfile.mkdtemp(prefix="promptgate-report-bench-")
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b",
               GIT_COMMITTER_EMAIL="b@b")
    subprocess.run(["git", "init", "-q", repo], check=True)
    with open(os.path.join(repo, "promptgate.yaml"), "w") as mapping:
        mapping.write("behaviors:\n  agent:\n    prompt: [p.md]\n")
    with open(os.path.join(repo, "p.md"), "w") as prompt:
        prompt.write("Hello.\n")
    subprocess.run(["git", "-C", repo, "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", repo, "commit", "-qm", "one"], check=True, env=env)

    for label, path, query, expected in [
        ("native events", native, DUCKDB_QUERY, args.events),
        ("OTLP spans", otlp, DUCKDB_OTLP_QUERY, args.spans // SPANS_PER_REQUEST),
    ]:
        compare(label, path, query, expected, args, repo)


def compare(label, path, query, expected, args, repo):
    """Times both on `path`, checks that both counted `expected` requests, prints the figures."""
    report = [os.path.join(args.bin, "promptgate-report"), path, "--format", "json"]
    duck = [args.python, "-c",
            "import duckdb, sys; duckdb.sql('SET enable_progress_bar = false'); "
            "rows = duckdb.sql(sys.argv[1]).fetchall(); print(sum(row[1] for row in rows))",
            query.format(path=path)]
    results = {}
    for name, command in [("promptgate report", report), ("duckdb read_json", duck)]:
        runs = [timed(command, cwd=repo) for _ in range(args.runs)]
        results[name] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2])
    ours = json.loads(results["promptgate report"][2])
    counts = sorted(v["metrics"]["requests"] for v in ours["versions"])
    assert sum(counts) == expected, counts
    assert int(results["duckdb read_json"][2].split()[-1]) == expected, results["duckdb read_json"][2]
    size = os.path.getsize(path) / 1e6
    lines = sum(1 for _ in open(path, "rb"))
    print(f"{label}: {lines:,} lines, {size:.0f} MB, {expected:,} requests, "
          f"median of {args.runs} runs")
    for name, (seconds, memory, _) in results.items():
        print(f"  {name:18} {seconds:7.2f} s  peak {memory:7.0f} MiB")
    ratio = results["promptgate report"][0] / results["duckdb read_json"][0]
    print(f"  ratio promptgate/duckdb: {ratio:.2f} (target <= 2)", flush=True)

if __name__ == "__main__":
    main()
