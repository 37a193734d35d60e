/// The SQL the ClickHouse reader sends: fixed text with typed placeholders (`{name:Type}`, the
/// database and table as `Identifier`s), whose values travel apart as `param_name` parameters.
/// Nothing a user or a mapping file says is ever put into the text.
///
/// Each query derives requests from the Collector's `otel_traces` spans exactly as the OTLP file
/// reader does (docs/telemetry.md, "OpenTelemetry spans"): one request per trace, the span
/// carrying `promptgate.behavior_id`; tokens summed over its model-call spans; the model of the
/// model call that ended last; tools from `execute_tool` spans; retrieval calls from
/// `retrieval` spans. ClickHouse then aggregates per version and stratum, so only a few rows per
/// version come back, whatever the table's size.
enum ClickHouseQueries {
  /// The columns of the Collector's ClickHouse exporter's traces table the queries read.
  static let columns =
    "Timestamp DateTime64(9), TraceId String, SpanName, SpanAttributes Map(LowCardinality(String), String), Duration UInt64 (nanoseconds), StatusCode, Events.Name"

  /// Spans of the table in the scanned range, with what each one is (request, model call, tool).
  static let spans = """
    spans AS (
      SELECT
        TraceId,
        Timestamp,
        Duration,
        SpanName,
        SpanAttributes,
        `Events.Name` AS event_names,
        match(SpanAttributes['promptgate.behavior_id'], '^(pgv1-)?[0-9a-f]{64}$') AS is_request,
        SpanAttributes['gen_ai.operation.name'] AS operation,
        toInt64OrNull(if(mapContains(SpanAttributes, 'gen_ai.usage.input_tokens'),
          SpanAttributes['gen_ai.usage.input_tokens'],
          SpanAttributes['gen_ai.usage.prompt_tokens'])) AS input_tokens,
        toInt64OrNull(if(mapContains(SpanAttributes, 'gen_ai.usage.output_tokens'),
          SpanAttributes['gen_ai.usage.output_tokens'],
          SpanAttributes['gen_ai.usage.completion_tokens'])) AS output_tokens,
        input_tokens IS NOT NULL OR output_tokens IS NOT NULL
          OR operation IN ('chat', 'text_completion') AS is_model,
        mapContains(SpanAttributes, 'gen_ai.response.model')
          OR mapContains(SpanAttributes, 'gen_ai.request.model') AS has_model,
        if(mapContains(SpanAttributes, 'gen_ai.response.model'),
          SpanAttributes['gen_ai.response.model'],
          SpanAttributes['gen_ai.request.model']) AS model,
        toUnixTimestamp64Nano(Timestamp) + toInt64(Duration) AS end_ns,
        operation = 'execute_tool' OR startsWith(SpanName, 'execute_tool ') AS is_tool,
        StatusCode IN ('Error', 'STATUS_CODE_ERROR')
          OR mapContains(SpanAttributes, 'error.type') AS failed
      FROM {database:Identifier}.{table:Identifier}
      WHERE Timestamp >= fromUnixTimestamp64Milli({spans_from:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({spans_to:Int64})
    )
    """

  /// One row per trace: its request span's fields and the counters over its other spans.
  static let traces = """
    traces AS (
      SELECT
        TraceId AS trace_id,
        count() AS spans,
        countIf(is_request) > 0 AS has_request,
        argMinIf(SpanAttributes, Timestamp, is_request) AS request_attributes,
        argMinIf(event_names, Timestamp, is_request) AS request_events,
        minIf(Timestamp, is_request) AS request_start,
        argMinIf(Duration, Timestamp, is_request) AS request_duration,
        sumIf(input_tokens, is_model) AS input_sum,
        countIf(is_model AND input_tokens IS NOT NULL) AS input_count,
        sumIf(output_tokens, is_model) AS output_sum,
        countIf(is_model AND output_tokens IS NOT NULL) AS output_count,
        argMaxIf(model, end_ns, is_model AND has_model) AS last_model,
        countIf(is_model AND has_model) > 0 AS has_last_model,
        countIf(operation = 'retrieval') AS retrieval_calls,
        countIf(is_tool AND failed) > 0 AS tool_failed
      FROM spans
      GROUP BY TraceId
    )
    """

  /// One row per trace as a request: its version, time, window, stratum and cost.
  static let requests = """
    requests AS (
      SELECT
        trace_id,
        spans,
        has_request,
        request_attributes['promptgate.behavior_id'] AS behavior_id,
        toUnixTimestamp64Milli(request_start) AS ts,
        request_duration / 1000000 AS latency_ms,
        ts >= {since:Int64} AND ts < {until:Int64} AS in_window,
        if(input_count > 0, input_sum, NULL) AS input_tokens,
        if(output_count > 0, output_sum, NULL) AS output_tokens,
        if(has_last_model, last_model, NULL) AS model,
        if(mapContains(request_attributes, 'promptgate.route'),
          request_attributes['promptgate.route'], NULL) AS route,
        if(mapContains(request_attributes, 'promptgate.tenant'),
          request_attributes['promptgate.tenant'], NULL) AS tenant,
        request_attributes['promptgate.refusal'] = 'true'
          OR has(request_events, 'promptgate.refusal') AS refusal,
        request_attributes['promptgate.fallback'] = 'true'
          OR has(request_events, 'promptgate.fallback') AS fallback,
        request_attributes['promptgate.user_retry'] = 'true'
          OR has(request_events, 'promptgate.user_retry') AS user_retry,
        retrieval_calls,
        tool_failed,
        multiIf({group_by:String} = 'route', ifNull(route, '(none)'),
          {group_by:String} = 'tenant', ifNull(tenant, '(none)'),
          {group_by:String} = 'model', ifNull(model, '(none)'), '') AS stratum,
        indexOf({price_models:Array(String)}, ifNull(model, '')) AS price_index,
        if(input_tokens IS NOT NULL AND output_tokens IS NOT NULL AND price_index > 0,
          (input_tokens * {price_inputs:Array(Float64)}[price_index]
            + output_tokens * {price_outputs:Array(Float64)}[price_index]) / 1000000,
          NULL) AS cost
      FROM traces
    )
    """

  static let prelude = "WITH " + spans + ",\n" + traces + ",\n" + requests + "\n"

  /// Per version and stratum: counts, sums and sample variances, the latency sketch's buckets
  /// (the same logarithmic buckets as ``QuantileSketch``, so the quantiles are the file
  /// readers'), requests by model, and the first and last request times.
  static let aggregates =
    prelude + """
      SELECT
        behavior_id,
        stratum,
        count() AS requests,
        countIf(latency_ms <= {smallest:Float64}) AS latency_zeros,
        sumMapIf(map(toInt32(least(greatest(ceil(log(latency_ms) / {log_gamma:Float64}), -20000),
          20000)), toUInt64(1)), latency_ms > {smallest:Float64}) AS latency_buckets,
        count(input_tokens) AS input_count,
        toFloat64(sum(input_tokens)) AS input_sum,
        varSamp(input_tokens) AS input_variance,
        count(output_tokens) AS output_count,
        toFloat64(sum(output_tokens)) AS output_sum,
        varSamp(output_tokens) AS output_variance,
        count(cost) AS cost_count,
        sum(cost) AS cost_sum,
        varSamp(cost) AS cost_variance,
        count() AS retrieval_count,
        toFloat64(sum(retrieval_calls)) AS retrieval_sum,
        varSamp(retrieval_calls) AS retrieval_variance,
        countIf(refusal) AS refusals,
        countIf(fallback) AS fallbacks,
        countIf(user_retry) AS user_retries,
        countIf(tool_failed) AS requests_with_tool_failure,
        sumMapIf(map(assumeNotNull(model), toUInt64(1)), model IS NOT NULL) AS models,
        min(ts) AS first_seen,
        max(ts) AS last_seen
      FROM requests
      WHERE has_request AND in_window
      GROUP BY behavior_id, stratum
      ORDER BY behavior_id, stratum
      FORMAT JSONEachRow
      """

  /// Per version, stratum and tool: calls and failed calls, over the `execute_tool` spans of the
  /// requests in the window.
  static let tools =
    prelude + """
      SELECT
        r.behavior_id AS behavior_id,
        r.stratum AS stratum,
        t.tool AS tool,
        count() AS calls,
        countIf(t.failed) AS failures
      FROM (
        SELECT
          TraceId AS trace_id,
          if(mapContains(SpanAttributes, 'gen_ai.tool.name'), SpanAttributes['gen_ai.tool.name'],
            substring(SpanName, 14)) AS tool,
          failed
        FROM spans
        WHERE is_tool
      ) AS t
      INNER JOIN (
        SELECT trace_id, behavior_id, stratum FROM requests WHERE has_request AND in_window
      ) AS r ON t.trace_id = r.trace_id
      GROUP BY behavior_id, stratum, tool
      ORDER BY behavior_id, stratum, tool
      FORMAT JSONEachRow
      """

  /// Requests outside the window, and spans of traces no span of which carries a behavior id.
  static let counts =
    prelude + """
      SELECT
        countIf(has_request AND NOT in_window) AS outside_window,
        sumIf(spans, NOT has_request) AS unattributed_spans
      FROM requests
      FORMAT JSONEachRow
      """
}
