"""A loopback server that speaks ClickHouse's HTTP interface over chdb, ClickHouse's own engine.

For PromptGate's tests of its ClickHouse reader. It listens on 127.0.0.1 on an ephemeral port,
writes the port to --port-file, and stops by itself after --timeout seconds, or when the process
that started it goes away.

As ClickHouse's HTTP interface does (port 8123):
- the query is the POST body, or the `query` URL parameter (a GET, or a POST whose body is data);
- `param_NAME=VALUE` URL parameters are handed to chdb's own parameter binding for the query's
  `{NAME:Type}` placeholders, never put into the SQL text;
- the answer is in the format the query names (`FORMAT JSONEachRow`), TabSeparated otherwise;
- a query ClickHouse refuses is HTTP 500 with its message (`Code: 60. DB::Exception: ...`) and
  the `X-ClickHouse-Exception-Code` header;
- the user and password come from `X-ClickHouse-User` / `X-ClickHouse-Key`, HTTP basic auth, or
  the `user` / `password` URL parameters; wrong ones are HTTP 401 with ClickHouse's
  AUTHENTICATION_FAILED (516) message.

--setup SQL runs a statement first (a test's own table). --load FILE loads OTLP JSON lines (the Collector's file exporter's shape) into
`otel.otel_traces`, created with the Collector ClickHouse exporter's schema, each span as that
exporter writes it: attribute values as text, `StatusCode` as Unset/Ok/Error, `Duration` in
nanoseconds.
"""

import argparse
import base64
import json
import os
import signal
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import chdb
from chdb import session as chdb_session

# The Collector ClickHouse exporter's traces table (exporter/clickhouseexporter,
# internal/sql_templates/traces_table.sql), with its database and table named.
TRACES_TABLE = """
CREATE TABLE IF NOT EXISTS otel.otel_traces (
    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
"""

STATUS = {0: "Unset", 1: "Ok", 2: "Error"}
KIND = {0: "Unspecified", 1: "Internal", 2: "Server", 3: "Client", 4: "Producer", 5: "Consumer"}


def as_text(value):
    """An OTLP AnyValue as the exporter's map holds it (pcommon.Value.AsString)."""
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return str(int(value["intValue"]))
    if "boolValue" in value:
        return "true" if value["boolValue"] else "false"
    if "doubleValue" in value:
        number = float(value["doubleValue"])
        return repr(number) if number != int(number) else str(int(number))
    if "arrayValue" in value:
        return json.dumps([as_json(v) for v in value["arrayValue"].get("values", [])],
                          separators=(",", ":"))
    return json.dumps(value, separators=(",", ":"))


def as_json(value):
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return int(value["intValue"])
    if "boolValue" in value:
        return value["boolValue"]
    if "doubleValue" in value:
        return float(value["doubleValue"])
    return as_text(value)


def attributes(items):
    return {item["key"]: as_text(item.get("value", {})) for item in items or []}


def nanos_to_datetime(nanos):
    seconds, fraction = divmod(int(nanos), 1_000_000_000)
    return f"{seconds}.{fraction:09d}"


def rows_from_otlp(path):
    """One otel_traces row per span of each OTLP JSON line."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            batch = json.loads(line)
            for resource in batch.get("resourceSpans", []):
                resource_attributes = attributes(resource.get("resource", {}).get("attributes"))
                service = resource_attributes.get("service.name", "")
                for scope in resource.get("scopeSpans", []):
                    for span in scope.get("spans", []):
                        start = int(span["startTimeUnixNano"])
                        end = int(span["endTimeUnixNano"])
                        events = span.get("events", [])
                        yield {
                            "Timestamp": nanos_to_datetime(start),
                            "TraceId": span["traceId"],
                            "SpanId": span.get("spanId", ""),
                            "ParentSpanId": span.get("parentSpanId", ""),
                            "TraceState": span.get("traceState", ""),
                            "SpanName": span.get("name", ""),
                            "SpanKind": KIND.get(span.get("kind", 0), "Unspecified"),
                            "ServiceName": service,
                            "ResourceAttributes": resource_attributes,
                            "ScopeName": scope.get("scope", {}).get("name", ""),
                            "ScopeVersion": scope.get("scope", {}).get("version", ""),
                            "SpanAttributes": attributes(span.get("attributes")),
                            "Duration": max(0, end - start),
                            "StatusCode": STATUS.get(span.get("status", {}).get("code", 0), "Unset"),
                            "StatusMessage": span.get("status", {}).get("message", ""),
                            "Events.Timestamp": [nanos_to_datetime(e.get("timeUnixNano", 0))
                                                 for e in events],
                            "Events.Name": [e.get("name", "") for e in events],
                            "Events.Attributes": [attributes(e.get("attributes")) for e in events],
                            "Links.TraceId": [],
                            "Links.SpanId": [],
                            "Links.TraceState": [],
                            "Links.Attributes": [],
                        }


def load(session, path):
    session.query("CREATE DATABASE IF NOT EXISTS otel")
    session.query(TRACES_TABLE)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as rows:
        for row in rows_from_otlp(path):
            rows.write(json.dumps(row) + "\n")
    try:
        session.query(
            "INSERT INTO otel.otel_traces SELECT * FROM file({path:String}, JSONEachRow, "
            "{structure:String})",
            params={"path": rows.name, "structure": structure(session)})
    finally:
        os.unlink(rows.name)


def structure(session):
    described = session.query("DESCRIBE TABLE otel.otel_traces", "JSONEachRow").bytes()
    columns = [json.loads(line) for line in described.decode().splitlines() if line]
    return ", ".join(f"`{c['name']}` {c['type']}" for c in columns)


class Handler(BaseHTTPRequestHandler):
    server_version = "loopback-clickhouse"

    def log_message(self, *arguments):  # quiet: the tests read stdout and stderr
        pass

    def do_GET(self):
        self.answer(body=b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.answer(body=self.rfile.read(length))

    def answer(self, body):
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        user, password = self.credentials(query)
        if (user, password) != (self.server.user, self.server.password):
            self.reply(401, f"Code: 516. DB::Exception: {user}: Authentication failed: password "
                       "is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)",
                       code=516)
            return
        sql = query["query"][0] + ("\n" + body.decode() if body else "") if "query" in query \
            else body.decode()
        params = {key[len("param_"):]: values[0] for key, values in query.items()
                  if key.startswith("param_")}
        if not sql.strip():
            self.reply(400, "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)", code=62)
            return
        try:
            with self.server.lock:
                result = self.server.session.query(sql, "TabSeparated", params=params)
        except Exception as error:  # chdb raises ClickHouse's own exception text
            message = str(error)
            code = message.split("Code: ", 1)[1].split(".", 1)[0] if "Code: " in message else "0"
            self.reply(500, message, code=int(code) if code.isdigit() else 0)
            return
        self.send_response(200)
        data = result.bytes() if result is not None else b""
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.server.queries.append(sql)

    def credentials(self, query):
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
            return user, password
        user = self.headers.get("X-ClickHouse-User") or query.get("user", ["default"])[0]
        password = self.headers.get("X-ClickHouse-Key") or query.get("password", [""])[0]
        return user, password

    def reply(self, status, message, code):
        data = (message.rstrip("\n") + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("X-ClickHouse-Exception-Code", str(code))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--load", help="OTLP JSON lines to load into otel.otel_traces")
    parser.add_argument("--user", default="default")
    parser.add_argument("--password-env", help="the variable holding the password (else none)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--setup", action="append", default=[],
                        help="a statement to run before serving (a test's own table)")
    arguments = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.session = chdb_session.Session()
    server.lock = threading.Lock()
    server.user = arguments.user
    server.password = os.environ.get(arguments.password_env, "") if arguments.password_env else ""
    server.queries = []
    server.session.query("CREATE DATABASE IF NOT EXISTS otel")
    if arguments.load:
        load(server.session, arguments.load)
    for statement in arguments.setup:
        server.session.query(statement)

    # The test process may have started this one with SIGTERM blocked, and chdb's engine
    # installs its own handler: unblock it, and make it end the server at once.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    parent = os.getppid()

    def watchdog():
        waited = 0.0
        while waited < arguments.timeout and os.getppid() == parent:
            threading.Event().wait(0.5)
            waited += 0.5
        server.shutdown()

    threading.Thread(target=watchdog, daemon=True).start()
    with open(arguments.port_file + ".tmp", "w") as port:
        port.write(str(server.server_address[1]))
    os.replace(arguments.port_file + ".tmp", arguments.port_file)
    print(f"chdb {chdb.__version__} on 127.0.0.1:{server.server_address[1]}", file=sys.stderr)
    server.serve_forever()
    server.server_close()
    sys.stderr.flush()
    # chdb's engine does not shut down cleanly at interpreter exit; nothing is left to save.
    os._exit(0)


if __name__ == "__main__":
    main()
