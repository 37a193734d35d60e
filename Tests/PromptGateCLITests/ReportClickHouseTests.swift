import Foundation
import TestSupport
import Testing

/// promptgate-report --clickhouse against ClickHouse's own engine (chdb) behind a loopback server
/// that speaks ClickHouse's HTTP interface, its `otel.otel_traces` loaded with the spans the
/// OTLP tests make with the real OpenTelemetry SDK, as the Collector's ClickHouse exporter
/// writes them.
@Suite("promptgate-report over ClickHouse", .serialized)
struct ReportClickHouseTests {
  static let password = "s3cret-clickhouse-password-for-tests"

  /// A repository with two versions of `agent`, prices for the SDK's model, and `traces.jsonl`
  /// from the SDK; the spans as the harness dumped them.
  static func repositoryWithSpans() throws -> (TemporaryRepository, [[String: Any]]) {
    try ReportOTLPTests.repositoryWithSpans(
      extraMapping: "prices:\n  gpt-4o-mini: {input: 0.15, output: 0.6}\n")
  }

  static var credentials: [String: String] {
    ["CLICKHOUSE_USER": "reader", "CLICKHOUSE_PASSWORD": password]
  }

  @Test("the figures from ClickHouse equal the file reader's over the same spans")
  func sameFiguresAsFiles() throws {
    let (repository, spans) = try Self.repositoryWithSpans()
    let server = try LoopbackClickHouse(
      load: repository.path + "/traces.jsonl", user: "reader", password: Self.password)
    defer { server.stop() }

    for grouping in [[], ["--group-by", "route"], ["--group-by", "model"]] {
      let files = try repository.run(
        "promptgate-report", ["traces.jsonl", "--format", "json"] + grouping)
      files.expect(exit: 0)
      let table = try repository.run(
        "promptgate-report", ["--clickhouse", server.url, "--format", "json"] + grouping,
        environment: Self.credentials)
      table.expect(exit: 0)
      #expect(!table.stdout.contains(Self.password) && !table.stderr.contains(Self.password))
      let fromFiles = try JSONOutput.object(files.stdout)
      let fromTable = try JSONOutput.object(table.stdout)
      #expect(fromTable["requests"] as? Int == 12)
      #expect(fromTable["requests"] as? Int == fromFiles["requests"] as? Int)
      #expect(fromTable["sources"] as? [String] == ["\(server.url) otel.otel_traces"])
      try Self.expectSameVersions(fromTable, fromFiles)
      #expect(
        ((fromTable["problems"] as? [String: Any])?["unattributedSpans"] as? Int)
          == ((fromFiles["problems"] as? [String: Any])?["unattributedSpans"] as? Int))
    }

    // Quantiles within the documented 1% of the exact nearest-rank value, computed here.
    let table = try repository.run(
      "promptgate-report", ["--clickhouse", server.url, "--format", "json"],
      environment: Self.credentials)
    let versions = try #require(try JSONOutput.object(table.stdout)["versions"] as? [[String: Any]])
    #expect(versions.count == 2)
    for version in versions {
      let id = try #require(version["behaviorId"] as? String)
      let latencies = spans.filter {
        $0["root"] as? Bool == true
          && ($0["attributes"] as? [String: Any])?["promptgate.behavior_id"] as? String == id
      }.compactMap { root -> Double? in
        guard let start = root["start"] as? Int, let end = root["end"] as? Int else { return nil }
        return Double(end - start) / 1e6
      }.sorted()
      #expect(latencies.count == 6)
      let latency = try #require(
        (version["metrics"] as? [String: Any])?["latencyMs"] as? [String: Any])
      for (key, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
        let exact = latencies[Int((q * Double(latencies.count)).rounded(.up)) - 1]
        let value = try #require(latency[key] as? Double)
        #expect(abs(value - exact) <= 0.01 * exact + 0.001, "\(key): \(value) vs \(exact)")
      }
    }

    // A window that ends an hour before the requests (made just now) says so from both.
    for sources in [["traces.jsonl"], ["--clickhouse", server.url]] {
      let empty = try repository.run(
        "promptgate-report", sources + ["--until", "1h"],
        environment: Self.credentials)
      empty.expect(exit: 2)
      #expect(empty.stderr.contains("12 requests outside --since/--until"), "\(empty)")
    }
  }

  /// Each version (and stratum) of `left` has the same figures as in `right`: counts and rates
  /// exactly, means to rounding.
  static func expectSameVersions(_ left: [String: Any], _ right: [String: Any]) throws {
    func key(_ version: [String: Any]) -> String {
      "\(version["behaviorId"] as? String ?? "") \(version["group"] as? String ?? "-")"
    }
    let ours = try #require(left["versions"] as? [[String: Any]])
    let theirs = try #require(right["versions"] as? [[String: Any]])
    #expect(ours.map(key) == theirs.map(key))
    for (a, b) in zip(ours, theirs) {
      let x = try #require(a["metrics"] as? [String: Any])
      let y = try #require(b["metrics"] as? [String: Any])
      for field in ["requests", "firstSeen", "lastSeen"] {
        #expect("\(x[field] ?? "nil")" == "\(y[field] ?? "nil")", "\(key(a)) \(field)")
      }
      #expect(canonical(x["latencyMs"]) == canonical(y["latencyMs"]), "\(key(a)) latency")
      for rate in [
        "toolFailureRate", "requestToolFailureRate", "refusalRate", "fallbackRate",
        "userRetryRate",
      ] {
        #expect(canonical(x[rate]) == canonical(y[rate]), "\(key(a)) \(rate)")
      }
      #expect(canonical(x["tools"]) == canonical(y["tools"]), "\(key(a)) tools")
      #expect(canonical(x["models"]) == canonical(y["models"]), "\(key(a)) models")
      for mean in ["inputTokensPerRequest", "outputTokensPerRequest", "retrievalCallsPerRequest"] {
        try expectClose(x[mean], y[mean], "\(key(a)) \(mean)")
      }
      let cost = try #require(x["cost"] as? [String: Any])
      let fileCost = try #require(y["cost"] as? [String: Any])
      #expect(cost["known"] as? Int == fileCost["known"] as? Int)
      #expect((cost["known"] as? Int ?? 0) > 0)
      try expectClose(cost["perRequest"], fileCost["perRequest"], "\(key(a)) cost")
      try expectClose(["total": cost["total"] as Any], ["total": fileCost["total"] as Any], "total")
    }
  }

  /// A JSON value as text with sorted keys, to compare two reports' parts.
  static func canonical(_ value: Any?) -> String {
    guard let value, JSONSerialization.isValidJSONObject([value]),
      let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])
    else { return "\(value ?? "nil")" }
    return String(decoding: data, as: UTF8.self)
  }

  /// Two estimates' numbers agree to a relative 1e-9 (sums in another order round differently).
  static func expectClose(_ left: Any?, _ right: Any?, _ label: String) throws {
    let a = try #require(left as? [String: Any], "\(label)")
    let b = try #require(right as? [String: Any], "\(label)")
    #expect(Set(a.keys) == Set(b.keys), "\(label)")
    for (name, value) in a {
      if let number = value as? Double, let other = b[name] as? Double {
        #expect(abs(number - other) <= 1e-9 * max(1, abs(other)), "\(label).\(name)")
      } else {
        #expect("\(value)" == "\(b[name] ?? "nil")", "\(label).\(name)")
      }
    }
  }

  @Test("an unreachable server, refused credentials, a missing table or column: clear errors")
  func errors() throws {
    let (repository, _) = try Self.repositoryWithSpans()
    let closed = "http://127.0.0.1:\(try closedLoopbackPort())"
    let unreachable = try repository.run(
      "promptgate-report", ["--clickhouse", closed], environment: Self.credentials)
    unreachable.expect(exit: 3)
    #expect(unreachable.stderr.contains("cannot connect to 127.0.0.1"), "\(unreachable)")
    #expect(unreachable.stdout.isEmpty)

    let server = try LoopbackClickHouse(
      load: repository.path + "/traces.jsonl", user: "reader", password: Self.password,
      setup: ["CREATE TABLE otel.bare (Timestamp DateTime64(9), TraceId String) ENGINE = Memory"])
    defer { server.stop() }
    let wrong = try repository.run(
      "promptgate-report", ["--clickhouse", server.url],
      environment: ["CLICKHOUSE_USER": "reader", "CLICKHOUSE_PASSWORD": Self.password + "-typo"])
    wrong.expect(exit: 3)
    #expect(wrong.stderr.contains("credentials were refused"), "\(wrong)")
    #expect(wrong.stderr.contains("AUTHENTICATION_FAILED"), "\(wrong)")
    #expect(!wrong.stderr.contains(Self.password), "\(wrong)")

    let table = try repository.run(
      "promptgate-report", ["--clickhouse", server.url, "--clickhouse-table", "spans"],
      environment: Self.credentials)
    table.expect(exit: 2)
    #expect(table.stderr.contains("UNKNOWN_TABLE"), "\(table)")
    #expect(table.stderr.contains("--clickhouse-table"), "\(table)")

    let database = try repository.run(
      "promptgate-report", ["--clickhouse", server.url, "--clickhouse-database", "traces"],
      environment: Self.credentials)
    database.expect(exit: 2)
    #expect(database.stderr.contains("--clickhouse-database"), "\(database)")

    let column = try repository.run(
      "promptgate-report", ["--clickhouse", server.url, "--clickhouse-table", "bare"],
      environment: Self.credentials)
    column.expect(exit: 2)
    #expect(column.stderr.contains("UNKNOWN_IDENTIFIER"), "\(column)")
    #expect(column.stderr.contains("not the Collector ClickHouse exporter's"), "\(column)")
    for result in [table, database, column] {
      #expect(!result.stderr.contains(Self.password) && !result.stdout.contains(Self.password))
    }

    let inURL = try repository.run(
      "promptgate-report",
      ["--clickhouse", server.url.replacing("://", with: "://reader:\(Self.password)@")])
    inURL.expect(exit: 2)
    #expect(inURL.stderr.contains("CLICKHOUSE_PASSWORD"), "\(inURL)")
    #expect(!inURL.stderr.contains(Self.password), "\(inURL)")
  }

  @Test("the telemetry: block names the sources when the command line names none")
  func telemetryBlock() throws {
    let (repository, _) = try Self.repositoryWithSpans()
    let server = try LoopbackClickHouse(
      load: repository.path + "/traces.jsonl", user: "reader", password: Self.password)
    defer { server.stop() }
    let mapping = try repository.read("promptgate.yaml")
    try repository.write(
      "promptgate.yaml", mapping + "telemetry:\n  clickhouse:\n    url: \(server.url)\n")
    let table = try repository.run(
      "promptgate-report", ["--format", "json"], environment: Self.credentials)
    table.expect(exit: 0)
    let report = try JSONOutput.object(table.stdout)
    #expect(report["sources"] as? [String] == ["\(server.url) otel.otel_traces"])
    #expect(report["requests"] as? Int == 12)

    try repository.write("promptgate.yaml", mapping + "telemetry:\n  files: ['*.jsonl']\n")
    let files = try repository.run("promptgate-report", ["--format", "json"])
    files.expect(exit: 0)
    #expect(try JSONOutput.object(files.stdout)["requests"] as? Int == 12)
    try Self.expectSameVersions(report, try JSONOutput.object(files.stdout))

    try repository.write("promptgate.yaml", mapping)
    let none = try repository.run("promptgate-report", [])
    none.expect(exit: 2)
    #expect(none.stderr.contains("telemetry: block"), "\(none)")
  }
}
