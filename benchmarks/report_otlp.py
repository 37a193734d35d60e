"""The OTLP half of benchmarks/report_vs_duckdb.py: 1,000,000 spans from a fixed seed, as the
Collector's file exporter writes them, and the DuckDB query that computes the same per-version
figures from them (spans grouped into requests by trace, as docs/telemetry.md says)."""
import json
import random

# Spans per request: the request, a retrieval, a tool call and a model call.
SPANS_PER_REQUEST = 4
# Spans per line (one exporter batch); a request's spans may straddle two batches.
BATCH = 100


def attribute(key, value):
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, float):
        return {"key": key, "value": {"doubleValue": value}}
    return {"key": key, "value": {"stringValue": value}}


def request_spans(rng, ids, index, base_ns):
    trace = format(rng.getrandbits(128), "032x")
    root = format(rng.getrandbits(64), "016x")
    start = base_ns + index * 50_000_000
    latency = int(rng.lognormvariate(6.3, 0.5) * 1e6)
    behavior = ids[index % len(ids)]
    failed = rng.random() < 0.07
    request = [attribute("promptgate.behavior_id", behavior),
               attribute("gen_ai.prompt.name", "support-agent"),
               attribute("promptgate.route", rng.choice(["orders", "refunds", "account"])),
               attribute("promptgate.tenant", rng.choice(["acme", "globex", "initech"]))]
    for key, rate in [("promptgate.refusal", 0.03), ("promptgate.fallback", 0.02),
                      ("promptgate.user_retry", 0.05)]:
        if rng.random() < rate:
            request.append(attribute(key, True))
    model = "gpt-4o-mini" if index % 3 else "gpt-4o"

    def span(name, offset, duration, attributes, status=None):
        return {"traceId": trace, "spanId": format(rng.getrandbits(64), "016x"),
                "parentSpanId": "" if name.startswith("invoke_agent") else root,
                "name": name, "kind": 1 if name != "invoke_agent support-agent" else 2,
                "startTimeUnixNano": str(start + offset),
                "endTimeUnixNano": str(start + offset + duration),
                "attributes": attributes, "status": status or {}}

    spans = [
        span("retrieval", 1_000_000, 5_000_000, [attribute("gen_ai.operation.name", "retrieval")]),
        span("execute_tool lookup_order", 7_000_000, 9_000_000,
             [attribute("gen_ai.operation.name", "execute_tool"),
              attribute("gen_ai.tool.name", "lookup_order")]
             + ([attribute("error.type", "TimeoutError")] if failed else []),
             {"code": 2, "message": "timed out"} if failed else None),
        span(f"chat {model}", 17_000_000, max(1, latency - 18_000_000),
             [attribute("gen_ai.operation.name", "chat"), attribute("gen_ai.request.model", model),
              attribute("gen_ai.request.temperature", 0.2),
              attribute("gen_ai.response.model", model),
              attribute("gen_ai.usage.input_tokens", rng.randint(500, 3000)),
              attribute("gen_ai.usage.output_tokens", rng.randint(20, 600))]),
    ]
    spans.insert(0, span("invoke_agent support-agent", 0, latency, request))
    return spans


def generate_otlp(path, spans, seed=2):
    """`spans` spans (a multiple of 4) in batches of 100, children before their request."""
    rng = random.Random(seed)
    ids = ["pgv1-" + format(rng.getrandbits(256), "064x") for _ in range(4)]
    base_ns = 1767225600000 * 1_000_000
    pending = []
    with open(path, "w") as out:
        for index in range(spans // SPANS_PER_REQUEST):
            made = request_spans(rng, ids, index, base_ns)
            made.append(made.pop(0))  # the request span ends last, so the exporter gets it last
            pending.extend(made)
            while len(pending) >= BATCH:
                write_batch(out, pending[:BATCH])
                del pending[:BATCH]
        if pending:
            write_batch(out, pending)


def write_batch(out, spans):
    batch = {"resourceSpans": [{
        "resource": {"attributes": [attribute("service.name", "support-bot")]},
        "scopeSpans": [{"scope": {"name": "support-bot"}, "spans": spans}]}]}
    out.write(json.dumps(batch, separators=(",", ":")) + "\n")


def value(key):
    """One attribute's value as text (NULL when the span has none), in DuckDB."""
    return (f"list_extract(list_transform(list_filter(s.attributes, lambda a: a.key = '{key}'), "
            "lambda a: coalesce(a.value.stringValue, a.value.intValue::VARCHAR, "
            "a.value.boolValue::VARCHAR, a.value.doubleValue::VARCHAR)), 1)")


DUCKDB_QUERY = f"""
WITH spans AS (
  SELECT unnest(scope.spans) AS s FROM (
    SELECT unnest(resource.scopeSpans) AS scope FROM (
      SELECT unnest(resourceSpans) AS resource
      FROM read_json('{{path}}', format = 'newline_delimited', maximum_object_size = 67108864))))
, flat AS (
  SELECT s.traceId AS trace,
    s.endTimeUnixNano::BIGINT - s.startTimeUnixNano::BIGINT AS duration,
    coalesce(s.status.code, 0) AS code,
    {value('promptgate.behavior_id')} AS behavior,
    {value('gen_ai.operation.name')} AS operation,
    {value('error.type')} AS error_type,
    {value('gen_ai.usage.input_tokens')}::BIGINT AS input_tokens,
    {value('gen_ai.usage.output_tokens')}::BIGINT AS output_tokens,
    coalesce({value('promptgate.refusal')} = 'true', false) AS refusal,
    coalesce({value('promptgate.fallback')} = 'true', false) AS fallback,
    coalesce({value('promptgate.user_retry')} = 'true', false) AS user_retry
  FROM spans)
, requests AS (
  SELECT trace, max(behavior) AS behavior, max(duration) FILTER (behavior IS NOT NULL) / 1e6 AS latency,
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
    count(*) FILTER (operation = 'execute_tool') AS tool_calls,
    count(*) FILTER (operation = 'execute_tool' AND (code = 2 OR error_type IS NOT NULL)) AS tool_failures,
    count(*) FILTER (operation = 'retrieval') AS retrieval_calls,
    bool_or(refusal) AS refusal, bool_or(fallback) AS fallback, bool_or(user_retry) AS user_retry
  FROM flat GROUP BY trace)
SELECT behavior, count(*) AS requests, quantile_cont(latency, [0.5, 0.95, 0.99]) AS latency,
  avg(input_tokens), avg(output_tokens), sum(tool_failures), sum(tool_calls),
  avg(refusal::INT), avg(fallback::INT), avg(user_retry::INT), avg(retrieval_calls)
FROM requests WHERE behavior IS NOT NULL GROUP BY behavior ORDER BY behavior
"""
